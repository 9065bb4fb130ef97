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


def _refusals(link) -> list[str]:
    return list(
        AccessLog.objects.filter(object_type="fhir_link", object_id=str(link.pk), action="denied")
        .order_by("pk")
        .values_list("reason", flat=True)
    )


def test_the_sender_revokes_an_unused_link_and_it_is_refused_as_an_expired_one(client, cm, sheet):
    with time_machine.travel(tokyo(2026, 12, 4, 9), tick=False):
        link, url = services.issue_link(cm, sheet.pk)
    with time_machine.travel(tokyo(2026, 12, 4, 10), tick=False):
        revoked = services.revoke_link(cm, link.pk)
    assert revoked.revoked_at == tokyo(2026, 12, 4, 10) and revoked.revoked_by == cm
    logged = AccessLog.objects.get(object_type="fhir_link", object_id=str(link.pk), action="update")
    assert logged.user == cm and logged.reason == "一回限りのFHIRリンクを取り消し"
    with time_machine.travel(tokyo(2026, 12, 4, 11)):
        refused = client.get(_path(url))
    expired_message = services.links.INVALID
    assert refused.status_code == 404 and expired_message in refused.content.decode()
    assert _refusals(link) == ["一回限りのFHIRリンク（取り消し済み）"]
    assert not AccessLog.objects.filter(object_type="fhir_link", action="download").exists()
    with pytest.raises(services.TransitionError):
        services.revoke_link(cm, link.pk)  # already revoked


def test_a_used_link_cannot_be_revoked(client, cm, sheet):
    with time_machine.travel(tokyo(2026, 12, 4, 9), tick=False):
        link, url = services.issue_link(cm, sheet.pk)
        assert client.get(_path(url)).status_code == 200
        with pytest.raises(services.TransitionError):
            services.revoke_link(cm, link.pk)


def test_the_senders_colleague_may_revoke_others_may_not(cm, cm_colleague, carol, liaison, sheet):
    _, _ = services.issue_link(cm, sheet.pk)
    link = sheet.links.get()
    for outsider in (carol, liaison):
        with pytest.raises(PermissionDenied):
            services.revoke_link(outsider, link.pk)
    assert services.revoke_link(cm_colleague, link.pk).revoked_by == cm_colleague


def test_the_document_page_lists_the_links_with_a_revoke_button(client, cm, sheet):
    with time_machine.travel(tokyo(2026, 12, 4, 9), tick=False):
        link, _ = services.issue_link(cm, sheet.pk)
        verified_login(client, cm)
        page = client.get(f"/transitions/documents/{sheet.pk}/").content.decode()
        assert f"/transitions/links/{link.pk}/revoke/" in page and "未使用" in page
        response = client.post(f"/transitions/links/{link.pk}/revoke/")
        assert response.status_code == 302
        page = client.get(f"/transitions/documents/{sheet.pk}/").content.decode()
    assert "取り消し済み" in page and f"/transitions/links/{link.pk}/revoke/" not in page


def test_the_download_is_refused_once_consent_was_withdrawn_after_the_link_was_made(client, cm, sheet):
    from renkei.sharing.services.consent import withdraw_consent

    with time_machine.travel(tokyo(2026, 12, 4, 9), tick=False):
        link, url = services.issue_link(cm, sheet.pk)
    with time_machine.travel(tokyo(2026, 12, 4, 12), tick=False):
        withdraw_consent(cm, sheet.patient, "家族の希望")
    with time_machine.travel(tokyo(2026, 12, 4, 13)):
        refused = client.get(_path(url))
    assert refused.status_code == 404 and services.links.INVALID in refused.content.decode()
    assert _refusals(link) == ["一回限りのFHIRリンク（発行後に同意が撤回されたため拒否）"]
    link.refresh_from_db()
    assert link.used_at is None


def test_a_consent_withdrawn_before_the_link_does_not_stop_it(client, cm, sheet):
    from renkei.sharing.services.consent import withdraw_consent
    from tests.sharing.conftest import give_consent

    with time_machine.travel(tokyo(2026, 12, 4, 8), tick=False):
        withdraw_consent(cm, sheet.patient, "範囲の変更")
        give_consent(sheet.patient, cm)
    with time_machine.travel(tokyo(2026, 12, 4, 9), tick=False):
        _, url = services.issue_link(cm, sheet.pk)
    with time_machine.travel(tokyo(2026, 12, 4, 10)):
        assert client.get(_path(url)).status_code == 200
