from __future__ import annotations

from django.urls import path

from renkei.directory import freshness_views, views

app_name = "directory"
urlpatterns = [
    path("", views.facility_search, name="search"),
    path("new/", views.facility_create, name="create"),
    path("<int:pk>/", views.facility_detail, name="detail"),
    path("<int:pk>/edit/", views.facility_edit, name="edit"),
    path("<int:pk>/update/", freshness_views.update_own, name="update_own"),
    path("update/<str:token>/", freshness_views.update_by_link, name="update"),
    path("update/<str:token>/confirm/", freshness_views.confirm_by_link, name="update_confirm"),
]
