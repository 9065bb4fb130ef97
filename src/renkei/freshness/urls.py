"""The facility's own pages (under ``/facilities/``): its update link, and the same page after login."""

from __future__ import annotations

from django.urls import path

from renkei.freshness import views

app_name = "freshness"
urlpatterns = [
    path("<int:pk>/update/", views.update_own, name="update_own"),
    # The pages of an opened link: the cookie names the link, the address carries no secret.
    path("update/", views.update_by_link, name="link_page"),
    path("update/confirm/", views.confirm_by_link, name="link_confirm"),
    # The mailed address: the token is exchanged for the cookie (the confirm form of an older page too).
    path("update/<str:token>/", views.open_update_link, name="update"),
    path("update/<str:token>/confirm/", views.open_update_link),
]
