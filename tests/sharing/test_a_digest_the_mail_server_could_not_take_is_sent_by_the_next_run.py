"""The daily digest is marked sent only once the mail went: when the mail server is down, the run
records the failure and exits with status 1, and the next run sends that day's digest. An address
the server refuses for good is recorded and does not hold up the others."""

from __future__ import annotations

import smtplib
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.test import override_settings

from renkei.sharing.models import NotificationPreference
from tests.sharing.conftest import add_member, give_consent, write_post

TOKYO = ZoneInfo("Asia/Tokyo")


class DownBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("connection refused")


class RefusingBackend(EmailBackend):
    """A mail server that refuses one address for good (550) and takes every other."""

    def send_messages(self, email_messages):
        for message in email_messages:
            if "carol@example.invalid" in message.to:
                raise smtplib.SMTPRecipientsRefused({"carol@example.invalid": (550, b"no such user")})
        return super().send_messages(email_messages)


def _digest_reader(patient, owner, user, email: str) -> NotificationPreference:
    user.email = email
    user.save()
    add_member(patient, owner, user)
    pref, _ = NotificationPreference.objects.get_or_create(user=user)
    pref.mode = NotificationPreference.Mode.DIGEST
    pref.save()
    return pref


def _run_digest() -> None:
    call_command("send_sharing_digest", stdout=StringIO())


def test_a_digest_the_mail_server_could_not_take_is_sent_by_the_next_run(cm, carol, patient):
    give_consent(patient, cm)
    with time_machine.travel(datetime(2026, 11, 24, 9, 0, tzinfo=TOKYO)):
        pref = _digest_reader(patient, cm, carol, "carol@example.invalid")
        write_post(patient, cm, "連絡1")
        write_post(patient, cm, "連絡2")
    window_start = NotificationPreference.objects.get(pk=pref.pk).covered_until

    with (
        time_machine.travel(datetime(2026, 11, 25, 7, 0, tzinfo=TOKYO)),
        override_settings(EMAIL_BACKEND=f"{__name__}.DownBackend"),
        pytest.raises(CommandError),  # `renkei send-sharing-digest` exits with status 1
    ):
        _run_digest()

    failed = NotificationPreference.objects.get(pk=pref.pk)
    assert failed.covered_until == window_start  # the window is not lost
    assert (failed.digest_claimed_at, failed.digest_error) == (None, "SMTPServerDisconnected")
    assert mail.outbox == []

    with time_machine.travel(datetime(2026, 11, 25, 8, 0, tzinfo=TOKYO)):
        _run_digest()

    assert len(mail.outbox) == 1
    assert "新しい投稿が2件あります" in mail.outbox[0].body
    sent = NotificationPreference.objects.get(pk=pref.pk)
    assert sent.covered_until > window_start
    assert sent.digest_error == ""


def test_an_address_refused_for_good_is_recorded_and_the_others_get_their_digest(
    cm, carol, cm_colleague, patient
):
    give_consent(patient, cm)
    with time_machine.travel(datetime(2026, 11, 24, 9, 0, tzinfo=TOKYO)):
        refused = _digest_reader(patient, cm, carol, "carol@example.invalid")
        _digest_reader(patient, cm, cm_colleague, "colleague@example.invalid")
        write_post(patient, cm, "連絡")

    with (
        time_machine.travel(datetime(2026, 11, 25, 7, 0, tzinfo=TOKYO)),
        override_settings(EMAIL_BACKEND=f"{__name__}.RefusingBackend"),
        pytest.raises(CommandError),
    ):
        _run_digest()

    assert [message.to for message in mail.outbox] == [["colleague@example.invalid"]]
    row = NotificationPreference.objects.get(pk=refused.pk)
    assert row.digest_error == "SMTPRecipientsRefused"
    assert row.digest_failed_at is not None
