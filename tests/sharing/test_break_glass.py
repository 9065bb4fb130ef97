from __future__ import annotations

from datetime import timedelta

import time_machine
from django.core import mail
from django.utils import timezone

from renkei.core.models import AccessLog
from renkei.sharing.models import EmergencyAccess
from tests.core.totp import verified_login
from tests.sharing.conftest import EMERGENCY_REASON, give_consent

LOOKUP = {"full_name_kana": "かくう はなこ", "birth_date": "1938-04-02"}


def _open(client, patient, reason=EMERGENCY_REASON, category="transport", **lookup):
    """The page's form: the search's ふりがな and 生年月日 come back with the category and reason."""
    return client.post(
        f"/patients/{patient.pk}/emergency/", {**LOOKUP, **lookup, "category": category, "reason": reason}
    )


def test_emergency_physician_breaks_the_glass_with_a_reason_and_the_owner_is_mailed(
    client, cm, er_doctor, patient, django_capture_on_commit_callbacks
):
    give_consent(patient, cm)
    verified_login(client, er_doctor)
    assert client.get(f"/patients/{patient.pk}/").status_code == 403
    found = client.post(
        "/patients/emergency/", {"full_name_kana": "カクウ ハナコ", "birth_date": "1938-04-02"}
    )
    assert f"利用者 #{patient.pk}" in found.content.decode()
    assert AccessLog.objects.get(user=er_doctor, object_type="emergency_search").flagged
    with django_capture_on_commit_callbacks(execute=True):
        response = _open(client, patient, "救急搬送。意識レベル低下のため服薬を確認します")
    assert response["Location"] == f"/patients/{patient.pk}/"
    page = client.get(f"/patients/{patient.pk}/")
    assert page.status_code == 200
    assert "緊急アクセスで閲覧しています" in page.content.decode()
    assert [message.to for message in mail.outbox] == [["cm@example.invalid"]]
    assert "架空" not in mail.outbox[0].body
    glass = AccessLog.objects.get(user=er_doctor, action=AccessLog.Action.BREAK_GLASS)
    assert glass.flagged and glass.reason == ""  # the reason is kept on the emergency access only
    assert glass.object_id == str(EmergencyAccess.objects.get(user=er_doctor).pk)
    assert (
        EmergencyAccess.objects.get(user=er_doctor).reason == "救急搬送。意識レベル低下のため服薬を確認します"
    )
    assert AccessLog.objects.get(user=er_doctor, action=AccessLog.Action.VIEW, object_type="patient").flagged


def test_emergency_access_ends_after_four_hours(client, cm, er_doctor, patient):
    verified_login(client, er_doctor)
    _open(client, patient)
    with time_machine.travel(timezone.now() + timedelta(hours=3, minutes=59)):
        verified_login(client, er_doctor)  # a fresh session: the idle timeout is shorter than 4 hours
        assert client.get(f"/patients/{patient.pk}/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=4, minutes=1)):
        verified_login(client, er_doctor)
        assert client.get(f"/patients/{patient.pk}/").status_code == 403


def test_break_glass_needs_a_written_reason(client, er_doctor, patient):
    verified_login(client, er_doctor)
    _open(client, patient, "急ぎ")
    assert client.get(f"/patients/{patient.pk}/").status_code == 403


def test_region_administrator_and_municipality_staff_cannot_break_the_glass(client, alice, bob, patient):
    for user in (alice, bob):
        verified_login(client, user)
        response = _open(client, patient, "監査のため記録を確認したいので開きます。よろしく")
        assert response.status_code == 403
        assert client.get(f"/patients/{patient.pk}/").status_code == 403


def test_break_glass_reader_cannot_post(client, cm, er_doctor, patient):
    give_consent(patient, cm)
    verified_login(client, er_doctor)
    _open(client, patient)
    response = client.post(f"/patients/{patient.pk}/posts/", {"category": "contact", "body": "書けない"})
    assert response.status_code == 403


def test_the_emergency_view_shows_the_real_consent_state(client, cm, er_doctor, patient):
    give_consent(patient, cm)
    verified_login(client, er_doctor)
    client.post(f"/patients/{patient.pk}/emergency/", {"reason": "救急搬送。意識レベル低下のため服薬を確認"})

    page = client.get(f"/patients/{patient.pk}/").content.decode()

    assert "緊急アクセスで閲覧しています" in page
    assert "同意がまだ記録されていません" not in page
