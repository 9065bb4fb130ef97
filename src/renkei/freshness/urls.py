"""The facility's own pages (under ``/facilities/``): its update link, and the same page after login."""

from __future__ import annotations

from django.urls import path

from renkei.freshness import views

app_name = "freshness"
urlpatterns = [
    path("<int:pk>/update/", views.update_own, name="update_own"),
    path("update/<str:token>/", views.update_by_link, name="update"),
    path("update/<str:token>/confirm/", views.confirm_by_link, name="update_confirm"),
]
