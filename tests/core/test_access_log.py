from __future__ import annotations

from django.http import HttpResponse
from django.test import RequestFactory

from renkei.core.audit import AccessOriginMiddleware, record_access
from renkei.core.models import AccessLog


def _read_during(request) -> None:
    """Serve ``request`` through the origin middleware; the 'view' logs one read by its user."""

    def view(request) -> HttpResponse:
        record_access(request.user, action=AccessLog.Action.VIEW, subject_type="patient", subject_id=7)
        return HttpResponse()

    AccessOriginMiddleware(view)(request)


def test_an_access_row_names_user_organisation_subject_and_address_but_no_content(carol):
    request = RequestFactory().get("/patients/7/", REMOTE_ADDR="192.0.2.10")
    request.user = carol
    _read_during(request)
    row = AccessLog.objects.get()
    assert (row.user, row.organization, row.subject_type, row.subject_id) == (
        carol,
        carol.organization,
        "patient",
        "7",
    )
    assert (row.ip_address, row.via, row.flagged) == ("192.0.2.10", "web", False)


def test_api_reads_are_marked_as_such(carol):
    request = RequestFactory().get("/api/v1/patients/7")
    request.user = carol
    _read_during(request)
    assert AccessLog.objects.get().via == "api"
