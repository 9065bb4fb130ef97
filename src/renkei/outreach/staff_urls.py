from __future__ import annotations

from django.urls import path

from renkei.outreach import pages_views, views

app_name = "outreach_staff"
urlpatterns = [
    path("guide/", views.guide_page, name="guide"),
    path("pages/", pages_views.staff_list, name="pages"),
    path("pages/<str:scope>/<str:topic>/", pages_views.staff_edit, name="page_edit"),
    path("pages/<str:scope>/<str:topic>/images/", pages_views.staff_add_image, name="page_image_add"),
    path("page-images/<int:pk>/delete/", pages_views.staff_remove_image, name="page_image_remove"),
]
