"""Breaking the glass goes through the ふりがな + 生年月日 lookup and is bound to the record it finds
(never a bare id); former members and records whose consent was withdrawn are refused; the reason
is a category plus at least 20 characters; a person starts at most N a day (the region's setting,
3 by default); each access shows on the record's timeline (without the reason) and in the region
administrator's review list."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from renkei.core import permissions
from renkei.core.tokens import issue_token
from renkei.sharing import services
from renkei.sharing.models import CareTeamMembership, EmergencyAccess, SharingPolicy
from tests.core.totp import verified_login
from tests.sharing.conftest import EMERGENCY_REASON, add_member, break_glass, give_consent, register

LOOKUP = {"full_name_kana": "かくう はなこ", "birth_date": "1938-04-02"}


def test_a_bare_id_or_a_lookup_that_finds_another_record_opens_nothing(client, er_doctor, patient, cm):
    other = register(cm, full_name="架空 次郎", full_name_kana="かくう じろう")
    verified_login(client, er_doctor)
    bare = client.post(
        f"/patients/{patient.pk}/emergency/", {"category": "transport", "reason": EMERGENCY_REASON}
    )
    assert bare.status_code == 403
    wrong = client.post(
        f"/patients/{patient.pk}/emergency/",
        {
            "full_name_kana": "かくう じろう",
            "birth_date": "1938-04-02",
            "category": "transport",
            "reason": EMERGENCY_REASON,
        },
    )
    assert wrong.status_code == 404  # as for an id that does not exist
    _, token = issue_token(er_doctor, "テスト")
    by_api = client.post(
        f"/api/v1/patients/{other.pk}/emergency-access",
        {**LOOKUP, "category": "transport", "reason": EMERGENCY_REASON},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert by_api.status_code == 404
    no_lookup = client.post(
        f"/api/v1/patients/{patient.pk}/emergency-access",
        {"category": "transport", "reason": EMERGENCY_REASON},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert no_lookup.status_code in (400, 422)
    assert not EmergencyAccess.objects.exists()
    assert not permissions.can_view_patient(er_doctor, patient)


def test_former_members_and_withdrawn_records_are_refused(cm, carol, er_doctor, patient):
    give_consent(patient, cm)
    membership = add_member(patient, cm, carol)
    services.end_membership(cm, membership, CareTeamMembership.EndReason.REMOVED)
    with pytest.raises(services.SharingError) as former:
        break_glass(carol, patient)
    assert former.value.code == "former_member" and former.value.status == 403
    services.withdraw_consent(cm, patient, "家族から撤回の申し出")
    with pytest.raises(services.SharingError) as withdrawn:
        break_glass(er_doctor, patient)
    assert withdrawn.value.code == "consent_withdrawn"
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize(
    ("category", "reason"),
    [
        ("transport", "a" * 19),
        ("transport", "　" * 30),
        ("curiosity", EMERGENCY_REASON),
        ("", EMERGENCY_REASON),
    ],
)
def test_the_reason_is_a_category_and_twenty_characters(er_doctor, patient, category, reason):
    with pytest.raises(services.SharingError):
        break_glass(er_doctor, patient, reason, category)
    assert not EmergencyAccess.objects.exists()


def test_a_person_starts_at_most_the_regions_number_a_day(er_doctor, patient, cm):
    assert services.emergency_limit(patient.organization.municipality.region) == 3
    SharingPolicy.objects.create(
        region=patient.organization.municipality.region, emergency_accesses_per_day=2
    )
    break_glass(er_doctor, patient)
    break_glass(er_doctor, patient, category="sudden_change")
    with pytest.raises(services.SharingError) as refused:
        break_glass(er_doctor, patient)
    assert (refused.value.code, refused.value.status) == ("emergency_limit", 429)
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        break_glass(er_doctor, patient, category="disaster")
    assert EmergencyAccess.objects.count() == 3


def test_the_access_shows_on_the_timeline_and_in_the_region_administrators_review(
    client, cm, er_doctor, alice, patient
):
    give_consent(patient, cm)
    break_glass(er_doctor, patient, "意識なしで搬送、ワーファリン内服の有無を確認したい")
    verified_login(client, cm)
    timeline = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "救急 医師（テスト市民病院）が救急搬送のため閲覧を開始しました" in timeline
    assert "ワーファリン" not in timeline
    verified_login(client, alice)
    review = client.get("/patients/audit/").content.decode()
    section = review.split("緊急アクセスの確認", 1)[1]
    assert "救急 医師" in section and "救急搬送" in section and f"利用者 #{patient.pk}" in section
    assert "ワーファリン" not in review


def test_only_the_region_administrator_reads_the_review(cm, patient):
    with pytest.raises(PermissionDenied):
        services.emergency_review(cm, patient.organization.municipality.region)


def test_the_search_page_carries_the_lookup_into_the_form_that_opens_the_record(client, er_doctor, patient):
    verified_login(client, er_doctor)
    page = client.post(
        "/patients/emergency/", {"full_name_kana": "カクウ ハナコ", "birth_date": "1938-04-02"}
    )
    text = page.content.decode()
    assert 'type="hidden" name="full_name_kana" value="カクウ ハナコ"' in text
    assert 'type="hidden" name="birth_date" value="1938-04-02"' in text
    assert 'value="transport"' in text and "救急搬送" in text and "災害時" in text
    response = client.post(
        f"/patients/{patient.pk}/emergency/",
        {
            "full_name_kana": "カクウ ハナコ",
            "birth_date": "1938-04-02",
            "category": "disaster",
            "reason": EMERGENCY_REASON,
        },
    )
    assert response["Location"] == f"/patients/{patient.pk}/"
    assert EmergencyAccess.objects.get().category == "disaster"
