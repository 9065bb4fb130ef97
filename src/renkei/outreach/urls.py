"""Every URL of outreach, mounted with one line at the site's root: the FHIR directory, the staff
pages and the residents' portal (the open-data API is mounted by ``renkei.api``)."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("fhir/", include("renkei.outreach.fhir_urls")),
    path("staff/outreach/", include("renkei.outreach.staff_urls")),
    path("portal/", include("renkei.outreach.portal_urls")),
]
