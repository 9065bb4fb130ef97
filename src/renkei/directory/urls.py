from __future__ import annotations

from django.urls import path

from renkei.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.facility_search, name="search"),
    path("new/", views.facility_create, name="create"),
    path("<int:pk>/", views.facility_detail, name="detail"),
    path("<int:pk>/edit/", views.facility_edit, name="edit"),
]
