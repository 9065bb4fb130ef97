"""Every URL of outreach, mounted with one line at the site's root: the FHIR directory and the staff
pages (the open-data API is mounted by ``renkei.api``)."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("fhir/", include("renkei.outreach.fhir_urls")),
    path("staff/outreach/", include("renkei.outreach.staff_urls")),
]
