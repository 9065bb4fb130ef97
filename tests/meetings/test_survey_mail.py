"""``renkei meetings send-survey-reminders``: the request once a survey opens, one reminder three days
before it closes to those who have not answered, each mail once; failures as the freshness reminders."""

from __future__ import annotations

import smtplib
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from renkei.meetings.models import SurveyRecipient
from renkei.meetings.services import survey_mail, surveys
from renkei.meetings.services.survey_mail import send_survey_mails
from tests.meetings.test_surveys import OPEN_DAY, ROWS, build

TOKYO = ZoneInfo("Asia/Tokyo")


class DownBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("connection refused")


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.invalid": (550, b"no such user")})


def at(day: date, hour: int = 8) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TOKYO)


@pytest.fixture
def opened(bob, gonohe, people):
    for person in people:
        person.email = f"{person.username}@example.invalid"
        person.save()
    survey = build(bob, gonohe)
    surveys.open_survey(bob, survey)
    return survey


def test_each_recipient_gets_the_request_once_and_the_mail_names_no_one(opened, people):
    run = send_survey_mails(at(OPEN_DAY))
    assert (run.due, run.invited, run.reminded, run.failed) == (5, 5, 0, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"{p.username}@example.invalid" for p in people)
    body = mail.outbox[0].body
    assert (
        "退院調整ルールのアンケート" in body
        and "2025年10月31日" in body
        and f"/meetings/surveys/{opened.pk}/answer/" in body
    )
    assert not any(p.full_name in body for p in people)
    assert send_survey_mails(at(OPEN_DAY, 12)).due == 0
    assert len(mail.outbox) == 5


def test_three_days_before_the_deadline_those_who_have_not_answered_are_reminded_once(opened, people):
    send_survey_mails(at(OPEN_DAY))
    questions = [q.pk for q in opened.questions.all()]
    surveys.answer(people[0], opened, dict(zip(questions, ROWS[0], strict=True)), today=OPEN_DAY)
    mail.outbox.clear()
    assert send_survey_mails(at(date(2025, 10, 27))).due == 0  # four days before
    run = send_survey_mails(at(date(2025, 10, 28)))
    assert (run.reminded, len(mail.outbox)) == (4, 4)
    assert people[0].email not in [m.to[0] for m in mail.outbox]
    assert mail.outbox[0].subject.startswith("【再送】")
    assert send_survey_mails(at(date(2025, 10, 29))).due == 0
    assert send_survey_mails(at(date(2025, 11, 1))).due == 0  # closed


def test_a_server_that_is_down_leaves_the_mails_for_the_next_run_and_a_refused_address_is_not_tried_again(
    opened,
):
    with override_settings(EMAIL_BACKEND=f"{__name__}.DownBackend"):
        run = send_survey_mails(at(OPEN_DAY))
    assert (run.failed, run.invited) == (1, 0)  # stops at the first: the server is down
    assert SurveyRecipient.objects.filter(invited_at=None, failed_at=None, claimed_at=None).count() == 5
    with override_settings(EMAIL_BACKEND=f"{__name__}.RefusingBackend"):
        run = send_survey_mails(at(OPEN_DAY))
    assert run.failed == 5
    assert (
        SurveyRecipient.objects.filter(failed_at__isnull=False, last_error="SMTPRecipientsRefused").count()
        == 5
    )
    assert send_survey_mails(at(OPEN_DAY)).due == 0


def test_a_mail_claimed_by_another_run_is_not_sent_again(opened):
    now = at(OPEN_DAY)
    SurveyRecipient.objects.update(claimed_at=now - timedelta(minutes=1))
    assert send_survey_mails(now).invited == 0
    assert send_survey_mails(now + timedelta(minutes=20)).invited == 5  # the claim timed out


def test_a_mail_another_run_sent_meanwhile_is_not_sent_again(opened, monkeypatch):
    now = at(OPEN_DAY)
    read_before = survey_mail._due(now, None)  # what a second run read before the first one sent
    assert send_survey_mails(now).invited == 5
    monkeypatch.setattr(survey_mail, "_due", lambda *_: read_before)
    run = send_survey_mails(now)
    assert (run.due, run.invited, run.reminded, run.failed) == (5, 0, 0, 0)
    assert len(mail.outbox) == 5
    assert list(SurveyRecipient.objects.values_list("attempts", flat=True)) == [1] * 5


def test_the_command_reports_and_is_a_periodic_command(bob, gonohe, people):
    for person in people:
        person.email = f"{person.username}@example.invalid"
        person.save()
    today = timezone.localdate()
    survey = build(bob, gonohe, opens_on=today, closes_on=today + timedelta(days=20))
    surveys.open_survey(bob, survey)
    out = StringIO()
    call_command("meetings", "send-survey-reminders", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "送信対象: 5件（送信していません）"
    out = StringIO()
    call_command("periodic", "meetings-send-survey-reminders", stdout=out)
    assert "依頼 5件、リマインダー 0件、失敗 0件" in out.getvalue()
    with override_settings(EMAIL_BACKEND=f"{__name__}.DownBackend"):
        SurveyRecipient.objects.update(invited_at=None)
        with pytest.raises(CommandError):
            call_command("meetings", "send-survey-reminders", stdout=StringIO())
