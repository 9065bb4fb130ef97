"""The periodic mail commands' one set of queue rules (``renkei.core.mail``), on a real reminder row
(``ReminderDelivery``) in the real database: a row is claimed once, and again only after the claim
timed out; a server that is down or busy (4xx, connection refused) leaves it for the next run; an
address refused for good (5xx) is recorded and never tried again."""

from __future__ import annotations

import smtplib
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from renkei.core.mail import Delivery, MailRun, claim, claim_all, claim_and_deliver, deliver
from renkei.freshness.models import ReminderDelivery
from tests.freshness.helpers import facility_with_contact

NOW = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


class Raising(BaseEmailBackend):
    """A mail server that answers every message with ``exc``."""

    def __init__(self, exc: Exception, **kwargs):
        super().__init__(**kwargs)
        self.exc = exc

    def send_messages(self, email_messages):
        raise self.exc


def locmem():
    return get_connection("django.core.mail.backends.locmem.EmailBackend")


@pytest.fixture
def rows(db):
    facility, contact = facility_with_contact()
    return [
        ReminderDelivery.objects.create(
            contact=contact, facility=facility, kind=kind, due_date=date(2026, 6, 30), offset_days=0
        )
        for kind in ("entry", "acceptance")
    ]


def send(row: ReminderDelivery, connection: BaseEmailBackend, now: datetime) -> Delivery:
    return deliver(
        lambda: EmailMessage("催促", "本文", to=["office@example.invalid"], connection=connection),
        ReminderDelivery.objects.filter(pk=row.pk),
        now,
        what=f"test reminder {row.pk}",
    )


def state(row: ReminderDelivery) -> tuple:
    row.refresh_from_db()
    return (row.claimed_at, row.attempts, row.sent_at, row.failed_at, row.last_error)


def test_a_row_is_claimed_once_and_again_only_after_the_claim_timed_out(rows):
    row, other = rows
    assert claim(ReminderDelivery, row.pk, NOW) is True
    assert state(row) == (NOW, 1, None, None, "")
    assert claim(ReminderDelivery, row.pk, NOW) is False  # a second run at the same moment
    assert claim(ReminderDelivery, row.pk, NOW + 14 * MINUTE) is False
    assert claim(ReminderDelivery, row.pk, NOW + 15 * MINUTE) is False  # 15 minutes is not yet past
    assert state(row) == (NOW, 1, None, None, "")
    # The run that claimed it died: 16 minutes on, another run takes it over.
    assert claim(ReminderDelivery, row.pk, NOW + 16 * MINUTE) is True
    assert state(row) == (NOW + 16 * MINUTE, 2, None, None, "")
    # claim_all gives the rows this run got, not the one another run holds.
    assert claim_all(ReminderDelivery.objects.order_by("pk"), NOW + 20 * MINUTE) == [other]


@pytest.mark.parametrize(
    ("exc", "error"),
    [
        (ConnectionRefusedError(111, "Connection refused"), "ConnectionRefusedError"),
        (
            smtplib.SMTPRecipientsRefused({"office@example.invalid": (450, b"mailbox busy")}),
            "SMTPRecipientsRefused",
        ),
        (
            smtplib.SMTPRecipientsRefused(
                {
                    "office@example.invalid": (550, b"no such user"),
                    "desk@example.invalid": (451, b"try later"),
                }
            ),
            "SMTPRecipientsRefused",
        ),
    ],
    ids=["connection refused", "450", "550 and 451"],
)
def test_a_server_that_is_down_or_busy_leaves_the_row_for_the_next_run(rows, exc, error):
    row, _other = rows
    assert claim(ReminderDelivery, row.pk, NOW)
    assert send(row, Raising(exc), NOW) is Delivery.RETRY_LATER
    assert state(row) == (None, 1, None, None, error)  # released at once: no need to wait 15 minutes
    assert mail.outbox == []
    # The next run, a minute later, with the server back.
    assert claim(ReminderDelivery, row.pk, NOW + MINUTE)
    assert send(row, locmem(), NOW + MINUTE) is Delivery.SENT
    assert state(row) == (NOW + MINUTE, 2, NOW + MINUTE, None, error)  # the last error stays on record
    assert [m.to for m in mail.outbox] == [["office@example.invalid"]]
    assert claim(ReminderDelivery, row.pk, NOW + 20 * MINUTE) is False  # sent: never again


def test_an_address_refused_for_good_is_recorded_and_never_tried_again(rows):
    row, _other = rows
    assert claim(ReminderDelivery, row.pk, NOW)
    refused = smtplib.SMTPRecipientsRefused({"office@example.invalid": (550, b"no such user")})
    assert send(row, Raising(refused), NOW) is Delivery.REFUSED
    assert state(row) == (None, 1, None, NOW, "SMTPRecipientsRefused")
    assert claim(ReminderDelivery, row.pk, NOW + MINUTE) is False
    assert claim(ReminderDelivery, row.pk, NOW + timedelta(days=30)) is False
    assert state(row) == (None, 1, None, NOW, "SMTPRecipientsRefused")
    assert mail.outbox == []


def test_one_persons_rows_they_no_longer_see_are_dropped_and_the_rest_go_in_one_mail(rows):
    seen, unseen = rows
    run = MailRun()
    assert claim_and_deliver(
        run,
        ReminderDelivery.objects.filter(sent_at=None, failed_at=None),
        NOW,
        sees=lambda row: row.pk == seen.pk,
        message=lambda allowed: EmailMessage(f"{len(allowed)}件", "本文", to=["office@example.invalid"]),
        what="test reminders",
    )
    assert (run.due, run.sent, run.failed, run.skipped, run.mails) == (0, 1, 0, 1, 1)
    assert state(seen) == (NOW, 1, NOW, None, "")
    assert state(unseen) == (None, 1, None, NOW, "no_access")
    assert [m.subject for m in mail.outbox] == ["1件"]
    # Nothing left: a second run claims nothing, sends nothing and may go on.
    assert claim_and_deliver(
        run,
        ReminderDelivery.objects.filter(sent_at=None, failed_at=None),
        NOW + 20 * MINUTE,
        sees=lambda row: True,
        message=lambda allowed: EmailMessage("-", "-", to=["office@example.invalid"]),
        what="test reminders",
    )
    assert (run.sent, run.skipped, run.mails, len(mail.outbox)) == (1, 1, 1, 1)


def test_a_run_counts_rows_and_mails_and_stops_when_the_server_is_down():
    run = MailRun()
    assert run.counted(Delivery.SENT, 3) is True
    assert run.counted(Delivery.REFUSED, 2) is True
    assert run.counted(Delivery.RETRY_LATER, 1) is False
    assert (run.sent, run.failed, run.mails) == (3, 3, 1)
