"""Exactly one consent is in force for a patient. Recording another while one is in force is
refused (page, API, service, and the database itself); changing the scope means recording the
withdrawal first, then the new consent."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from renkei.core.tokens import issue_token
from renkei.sharing import files, services
from renkei.sharing.models import Consent
from tests.core.totp import verified_login
from tests.sharing.conftest import give_consent, tiny_pdf, upload

REFUSAL = "有効な同意がすでに記録されています。範囲を変えるときは、先に撤回を記録してください。"
NARROWER = {
    "given_by": "架空 一郎",
    "relationship": "長男",
    "given_on": "2026-11-10",
    "method": "written",
    "scope_roles": ["care_manager"],
    "scope": "",
}


def _stored_files():
    root = files.private_root()
    return sorted(path.name for path in root.iterdir()) if root.exists() else []


def test_care_manager_cannot_record_a_second_consent_on_the_page_while_one_is_in_force(client, cm, patient):
    first = give_consent(patient, cm)
    before = _stored_files()
    verified_login(client, cm)

    response = client.post(
        f"/patients/{patient.pk}/consent/", {**NARROWER, "scan_file": upload("同意書.pdf", tiny_pdf())}
    )

    assert response.status_code == 302
    assert REFUSAL in client.get(response["Location"]).content.decode()
    assert list(Consent.objects.values_list("pk", "withdrawn_at")) == [(first.pk, None)]
    assert _stored_files() == before


def test_api_answers_409_to_a_second_consent_while_one_is_in_force(client, cm, patient):
    give_consent(patient, cm)
    _, token = issue_token(cm, "テスト")

    response = client.post(
        f"/api/v1/patients/{patient.pk}/consent",
        {**NARROWER, "given_on": "2026-11-10"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 409
    assert response.json()["error"] == {"code": "consent_exists", "message": REFUSAL, "details": []}
    assert Consent.objects.count() == 1


def test_the_service_refuses_a_second_consent_for_every_caller(cm, patient):
    give_consent(patient, cm)
    with pytest.raises(services.SharingError, match="有効な同意がすでに記録されています"):
        give_consent(patient, cm)
    assert Consent.objects.count() == 1


def test_the_database_itself_holds_at_most_one_consent_in_force_per_patient(cm, patient):
    give_consent(patient, cm)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            patient=patient, recorded_by=cm, given_by="架空 一郎", given_on=date(2026, 11, 10), method="oral"
        )
    assert Consent.objects.count() == 1


def test_after_recording_the_withdrawal_a_new_consent_can_be_recorded(client, cm, patient):
    give_consent(patient, cm)
    services.withdraw_consent(cm, patient, "範囲を変更するため")
    verified_login(client, cm)

    response = client.post(f"/patients/{patient.pk}/consent/", NARROWER)

    assert response.status_code == 302
    assert Consent.objects.count() == 2
    assert services.active_consent(patient).scope_roles == ["care_manager"]
