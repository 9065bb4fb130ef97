"""``renkei continuity send-acp-reminders``: once the review date of a patient's latest 人生会議 has
passed (Asia/Tokyo), one mail to each team member who sees the record, once per review date;
nothing personal in it; a newer discussion supersedes the old one; a dry run sends and records
nothing."""

from __future__ import annotations

import smtplib
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.test import override_settings

from renkei.continuity.models import AcpReminder
from renkei.continuity.services.duty import at
from renkei.core.models import Organization, User
from renkei.sharing.models import TeamRole
from tests.conftest import make_user
from tests.core.totp import verified_login

from .conftest import add_member, give_consent, register
from .test_acp import record


class DownBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("connection refused")


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"cm@example.invalid": (550, b"no such user")})


@pytest.fixture
def nurse(carol) -> User:
    carol.email = "carol@example.invalid"
    carol.save()
    return carol


@pytest.fixture
def outsider(hachinohe) -> User:
    """A nurse of the same region who is not on the patient's team."""
    station = Organization.objects.create(
        name="別の訪問看護ステーション", kind=Organization.Kind.VISITING_NURSE_STATION, municipality=hachinohe
    )
    return make_user(
        "outsider",
        station,
        User.Role.PROFESSIONAL,
        profession=User.Profession.NURSE,
        email="outsider@example.invalid",
    )


@pytest.fixture
def patient(cm, nurse, outsider):
    patient = register(cm)
    give_consent(patient, cm)
    add_member(patient, cm, nurse, TeamRole.VISITING_NURSE)
    return patient


def _remind(*args: str) -> str:
    out = StringIO()
    call_command("continuity", "send-acp-reminders", *args, stdout=out)
    return out.getvalue()


def _on(day: date) -> time_machine.travel:
    return time_machine.travel(at(day, 8), tick=False)


def test_a_passed_review_date_is_mailed_once_to_the_team_only(patient, cm):
    with _on(date(2026, 6, 1)):
        record(cm, patient, date(2026, 6, 1), date(2026, 12, 1))
    with _on(date(2026, 12, 2)):
        assert "送信 2件（メール2通）" in _remind()
        assert "送信対象 0件: 送信 0件" in _remind()  # a rerun sends nothing
    with _on(date(2026, 12, 20)):
        assert "送信対象 0件" in _remind()  # nor does a later day's run
    # The owner and the nurse of the team; neither the outsider nor the colleague off the team.
    assert sorted(m.to[0] for m in mail.outbox) == ["carol@example.invalid", "cm@example.invalid"]
    assert AcpReminder.objects.exclude(sent_at=None).count() == 2


def test_the_mail_names_no_patient_and_links_the_acp_page_by_id(patient, cm):
    with _on(date(2026, 6, 1)):
        record(cm, patient, date(2026, 6, 1), date(2026, 12, 1))
    with _on(date(2026, 12, 2)):
        _remind()
    message = next(m for m in mail.outbox if m.to == ["cm@example.invalid"])
    assert message.subject == "【Renkei】人生会議の見直し日を過ぎた記録が1件あります"
    assert "見直し日 2026年12月1日" in message.body
    assert f"/continuity/patients/{patient.pk}/acp/" in message.body
    for secret in ("架空", "かくう", "花子", "はなこ", "1938", "テスト町", "長女", "庭の花", "自宅"):
        assert secret not in message.subject + message.body


def test_a_review_date_not_yet_passed_sends_nothing(patient, cm):
    with _on(date(2026, 6, 1)):
        record(cm, patient, date(2026, 6, 1), date(2026, 12, 1))
    with _on(date(2026, 12, 1)):  # the review date itself: not passed yet
        assert "送信対象 0件" in _remind()
    assert mail.outbox == [] and not AcpReminder.objects.exists()


def test_a_newer_discussion_supersedes_the_old_one(patient, cm, nurse):
    with _on(date(2026, 6, 1)):
        record(cm, patient, date(2026, 6, 1), date(2026, 12, 1))
    with _on(date(2026, 11, 20)):
        record(nurse, patient, date(2026, 11, 20), date(2027, 5, 20))
    with _on(date(2026, 12, 2)):
        assert "送信対象 0件" in _remind()
    assert mail.outbox == []
    with _on(date(2027, 5, 21)):
        assert "送信 2件" in _remind()  # the new discussion's own review date, once it has passed


def test_a_dry_run_sends_and_records_nothing(patient, cm):
    with _on(date(2026, 6, 1)):
        record(cm, patient, date(2026, 6, 1), date(2026, 12, 1))
    with _on(date(2026, 12, 2)):
        out = _remind("--dry-run")
    assert "送信対象: 2件（送信していません）" in out
    assert f"利用者ID {patient.pk}（見直し日 2026-12-01）: 2人" in out
    assert "架空" not in out
    assert mail.outbox == [] and not AcpReminder.objects.exists()


def test_someone_who_left_the_team_after_a_failed_run_is_not_reminded(patient, cm, nurse):
    from renkei.sharing import services as sharing

    with _on(date(2026, 6, 1)):
        record(cm, patient, date(2026, 6, 1), date(2026, 12, 1))
    with _on(date(2026, 12, 2)):
        with override_settings(EMAIL_BACKEND=f"{__name__}.DownBackend"), pytest.raises(CommandError):
            _remind()
        assert AcpReminder.objects.filter(sent_at=None, claimed_at=None, failed_at=None).count() == 2
        sharing.leave_team(nurse, patient)
        assert "送信 1件" in _remind()  # the server is back: the owner only
    assert [m.to for m in mail.outbox] == [["cm@example.invalid"]]


def test_an_address_refused_for_good_is_recorded_and_not_tried_again(cm):
    patient = register(cm)  # no consent, no other member: the owner alone
    with _on(date(2026, 6, 1)):
        record(cm, patient, date(2026, 6, 1), date(2026, 12, 1))
    with _on(date(2026, 12, 2)):
        with override_settings(EMAIL_BACKEND=f"{__name__}.RefusingBackend"), pytest.raises(CommandError):
            _remind()
        assert AcpReminder.objects.exclude(failed_at=None).count() == 1
        assert "送信対象 0件" in _remind()


def test_the_acp_and_path_pages_say_the_review_date_has_passed(patient, cm, client):
    with _on(date(2026, 6, 1)):
        record(cm, patient, date(2026, 6, 1), date(2026, 12, 1))
    with _on(date(2026, 12, 2)):
        verified_login(client, cm)
        acp_page = client.get(f"/continuity/patients/{patient.pk}/acp/").content.decode()
        path_page = client.get(f"/continuity/patients/{patient.pk}/path/").content.decode()
    assert "見直し日（2026年12月1日）を過ぎています" in acp_page
    assert "見直し日（2026年12月1日）を過ぎています" in path_page


def test_the_command_runs_as_a_periodic_job(db):
    from renkei.operations.periodic import COMMANDS

    job = COMMANDS["continuity-send-acp-reminders"]
    assert job.command == ("continuity", "send-acp-reminders")
    assert job.schedule == "*-*-* 08:00:00"
    out = StringIO()
    call_command("periodic", "continuity-send-acp-reminders", stdout=out)
    assert "送信対象 0件" in out.getvalue()
