from __future__ import annotations

from django.urls import path

from renkei.outreach import fhir_views

app_name = "fhir"
urlpatterns = [
    path("metadata", fhir_views.metadata, name="metadata"),
    path("<str:resource_type>", fhir_views.search, name="search"),
    path("<str:resource_type>/<str:resource_id>", fhir_views.read, name="read"),
]
