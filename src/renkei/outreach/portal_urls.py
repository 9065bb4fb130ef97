from __future__ import annotations

from django.urls import path

from renkei.outreach import portal_views

app_name = "portal"
urlpatterns = [
    path("", portal_views.region_portal, name="region"),
    path("<str:code>/", portal_views.municipality_portal, name="municipality"),
]
