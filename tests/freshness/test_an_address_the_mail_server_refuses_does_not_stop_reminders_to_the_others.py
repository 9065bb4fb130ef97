"""A mail server that refuses one address for good (550) must not block the reminder queue: that
contact is marked bounced, its reminder is recorded as failed, and every other facility still gets
its mail — on this run and on every later one."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from renkei.freshness.models import FacilityContact, ReminderDelivery, UpdateLink
from renkei.freshness.services import contacts, reminders
from tests.freshness.helpers import facility_with_contact

REFUSED = "gone@example.invalid"


class RefusingBackend(EmailBackend):
    """Delivers to the test outbox, except to one address the server says does not exist."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"5.1.1 User unknown")})
        return super().send_messages(messages)


class BusyBackend(EmailBackend):
    """The server answers 450 (mailbox busy, try later): not a reason to give up on the address."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({m.to[0]: (450, b"4.2.1 try later") for m in messages})


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://renkei.example.jp"


def at(year, month, day):
    return datetime(year, month, day, 3, 0, tzinfo=UTC)


def test_a_refused_address_is_marked_bounced_and_the_other_facilities_still_get_their_reminders(db, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    # The refused facility is the oldest row of the queue: it is tried first.
    _, refused = facility_with_contact(name="閉じた事業所", email=REFUSED, verified_at=at(2026, 1, 1))
    facility_with_contact(
        name="みなと訪問看護ステーション", email="a@example.invalid", verified_at=at(2026, 1, 1)
    )
    facility_with_contact(name="しらかば居宅介護支援", email="b@example.invalid", verified_at=at(2026, 1, 1))

    run = reminders.send_reminders(now=at(2026, 5, 31))  # 30 days before the due date of all three

    assert (run.sent, run.failed, run.bounced) == (2, 1, 1)
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.invalid", "b@example.invalid"]
    refused.refresh_from_db()
    assert refused.bounced_at == at(2026, 5, 31)
    row = ReminderDelivery.objects.get(contact=refused)
    assert row.sent_at is None
    assert row.failed_at == at(2026, 5, 31)
    assert row.last_error == "SMTPRecipientsRefused"
    # The link made for the refused mail never works.
    assert UpdateLink.objects.filter(email=REFUSED, revoked_at=None).count() == 0


def test_the_next_runs_do_not_try_the_refused_address_again_and_send_the_others_their_next_reminder(
    db, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    facility_with_contact(name="閉じた事業所", email=REFUSED, verified_at=at(2026, 1, 1))
    facility_with_contact(
        name="みなと訪問看護ステーション", email="a@example.invalid", verified_at=at(2026, 1, 1)
    )
    reminders.send_reminders(now=at(2026, 5, 31))
    mail.outbox.clear()

    assert reminders.send_reminders(now=at(2026, 6, 1)).failed == 0  # nothing new, nothing retried
    run = reminders.send_reminders(now=at(2026, 6, 30))  # the due date

    assert (run.sent, run.failed) == (1, 0)
    assert [message.to for message in mail.outbox] == [["a@example.invalid"]]
    assert ReminderDelivery.objects.filter(contact__email=REFUSED).count() == 1


def test_an_address_registered_again_by_staff_gets_the_reminder_it_refused(db, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    _, refused = facility_with_contact(name="閉じた事業所", email=REFUSED, verified_at=at(2026, 1, 1))
    reminders.send_reminders(now=at(2026, 5, 31))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    contacts.reactivate_contact(refused)
    run = reminders.send_reminders(now=at(2026, 6, 1))

    assert run.sent == 1
    assert [message.to for message in mail.outbox] == [[REFUSED]]


def test_a_temporary_refusal_stops_the_run_and_keeps_the_address(db, settings):
    settings.EMAIL_BACKEND = f"{__name__}.BusyBackend"
    facility_with_contact(name="一", email="a@example.invalid", verified_at=at(2026, 1, 1))
    facility_with_contact(name="二", email="b@example.invalid", verified_at=at(2026, 1, 1))

    run = reminders.send_reminders(now=at(2026, 5, 31))

    assert (run.sent, run.failed, run.bounced) == (0, 1, 0)
    assert FacilityContact.objects.filter(bounced_at__isnull=False).count() == 0
    assert ReminderDelivery.objects.filter(failed_at__isnull=False).count() == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reminders.send_reminders(now=at(2026, 6, 1)).sent == 2
