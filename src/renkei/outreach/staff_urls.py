from __future__ import annotations

from django.urls import path

from renkei.outreach import views

app_name = "outreach_staff"
urlpatterns = [
    path("guide/", views.guide_page, name="guide"),
]
