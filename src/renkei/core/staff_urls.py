from __future__ import annotations

from django.urls import path

from renkei.core import views

app_name = "staff"
urlpatterns = [
    path("", views.staff_home, name="home"),
    path("municipalities/add/", views.municipality_add, name="municipality_add"),
]
