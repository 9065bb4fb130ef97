"""A hospital not on Renkei gets the PDF and a signed, expiring, one-time link to the FHIR document;
issuing (with the expiry) and each download are logged."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from fhir.resources.R4B.bundle import Bundle

from renkei.core.models import AccessLog
from renkei.transitions import services
from tests.core.totp import verified_login
from tests.sharing.conftest import give_consent
from tests.transitions.conftest import admit, tokyo
from tests.transitions.test_documents import ADMISSION


@pytest.fixture
def sheet(cm, patient):
    give_consent(patient, cm)
    episode = admit(cm, patient, tokyo(2026, 12, 3), hospital_name="圏域外の大学病院")
    return services.create_document(cm, episode.pk, "admission_info", ADMISSION)


def _path(url: str) -> str:
    return urlsplit(url).path


def test_the_link_downloads_the_bundle_once(client, cm, sheet):
    with time_machine.travel(tokyo(2026, 12, 4, 9), tick=False):
        link, url = services.issue_link(cm, sheet.pk)
    assert link.expires_at == tokyo(2026, 12, 7, 9)
    issued = AccessLog.objects.get(object_type="fhir_link", action="export")
    assert issued.reason == "一回限りのFHIRリンクを発行（有効期限 2026-12-07 09:00）"
    with time_machine.travel(tokyo(2026, 12, 5, 9)):
        first = client.get(_path(url))
        assert first.status_code == 200
        Bundle.model_validate_json(first.content)
        again = client.get(_path(url))
    assert again.status_code == 404
    assert "使えません" in again.content.decode()
    downloads = AccessLog.objects.filter(object_type="fhir_link", action="download", user=None)
    assert downloads.count() == 1 and downloads.get().subject_id == str(sheet.patient_id)


def test_an_expired_or_forged_link_downloads_nothing(client, cm, sheet):
    with time_machine.travel(tokyo(2026, 12, 4, 9), tick=False):
        _, url = services.issue_link(cm, sheet.pk)
    with time_machine.travel(tokyo(2026, 12, 4, 9) + timedelta(hours=72, minutes=1)):
        assert client.get(_path(url)).status_code == 404
    assert client.get("/transitions/links/forged-token/").status_code == 404
    assert not AccessLog.objects.filter(object_type="fhir_link", action="download").exists()


def test_only_the_documents_writers_issue_links(cm_colleague, sheet, client, cm):
    with pytest.raises(PermissionDenied):
        services.issue_link(cm_colleague, sheet.pk)
    verified_login(client, cm)
    page = client.post(f"/transitions/documents/{sheet.pk}/link/").content.decode()
    assert "/transitions/links/" in page and "1回だけ" in page
