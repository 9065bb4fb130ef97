from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.management import call_command

from renkei.freshness.models import FreshnessPolicy, ReminderDelivery
from renkei.freshness.services import links, reminders, updates
from tests.freshness.helpers import facility_with_contact


def at(year, month, day):
    return datetime(year, month, day, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://renkei.example.jp"


def test_reminders_follow_the_entry_through_simulated_months_and_survive_a_mail_server_failure(db, settings):
    # Confirmed on 1 January: fresh for 180 days, so due on 30 June; reminders at -30, 0 and +14 days.
    facility, contact = facility_with_contact(verified_at=at(2026, 1, 1))

    assert reminders.send_reminders(now=at(2026, 5, 30)).sent == 0
    assert mail.outbox == []

    run = reminders.send_reminders(now=at(2026, 5, 31))  # 30 days before the due date
    assert (run.sent, run.failed) == (1, 0)
    assert mail.outbox[0].to == ["office@example.invalid"]
    assert "みなと訪問看護ステーション" in mail.outbox[0].subject
    assert "https://renkei.example.jp/facilities/update/" in mail.outbox[0].body
    assert "2026年6月30日" in mail.outbox[0].body

    # cron runs again the same day and every day after: nothing twice.
    assert reminders.send_reminders(now=at(2026, 5, 31)).sent == 0
    assert reminders.send_reminders(now=at(2026, 6, 15)).sent == 0
    assert len(mail.outbox) == 1

    assert reminders.send_reminders(now=at(2026, 6, 30)).sent == 1  # the due date
    assert len(mail.outbox) == 2

    # 14 days after: the mail server is down. Nothing is lost.
    settings.EMAIL_BACKEND = "tests.freshness.helpers.FailingBackend"
    run = reminders.send_reminders(now=at(2026, 7, 14))
    assert (run.sent, run.failed) == (0, 1)
    unsent = ReminderDelivery.objects.get(offset_days=14)
    assert unsent.sent_at is None and unsent.claimed_at is None and unsent.attempts == 1
    assert unsent.last_error == "SMTPServerDisconnected"

    # The server is back: the next run sends it, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reminders.send_reminders(now=at(2026, 7, 15)).sent == 1
    assert reminders.send_reminders(now=at(2026, 7, 16)).sent == 0
    assert len(mail.outbox) == 3
    assert sorted(ReminderDelivery.objects.values_list("offset_days", flat=True)) == [-30, 0, 14]

    # The facility confirms: nothing more until 30 days before the next due date (2027-01-16).
    link = links.issue_link(facility, contact.email, now=at(2026, 7, 20))
    updates.confirm_unchanged(link, now=at(2026, 7, 20))
    assert reminders.send_reminders(now=at(2026, 12, 16)).sent == 0
    assert reminders.send_reminders(now=at(2026, 12, 17)).sent == 1
    assert len(mail.outbox) == 4


def test_a_missed_week_sends_only_the_latest_reminder(db):
    facility_with_contact(verified_at=at(2026, 1, 1))

    run = reminders.send_reminders(now=at(2026, 7, 20))  # cron was off since May

    assert run.sent == 1
    assert list(ReminderDelivery.objects.values_list("offset_days", flat=True)) == [14]


def test_acceptance_status_has_its_own_shorter_cycle(db):
    from datetime import date

    facility_with_contact(
        verified_at=at(2026, 6, 1), acceptance_status="accepting", acceptance_stated_at=date(2026, 6, 1)
    )

    assert reminders.send_reminders(now=at(2026, 6, 30)).sent == 0
    assert reminders.send_reminders(now=at(2026, 7, 1)).sent == 1  # 30 days after it was stated
    assert "受入状況" in mail.outbox[0].subject
    assert reminders.send_reminders(now=at(2026, 7, 8)).sent == 1  # a week later
    assert reminders.send_reminders(now=at(2026, 7, 9)).sent == 0


def test_the_region_sets_its_own_period_and_offsets(db, region):
    FreshnessPolicy.objects.create(region=region, fresh_days=90, reminder_offsets=[0])
    facility_with_contact(verified_at=at(2026, 1, 1))

    assert reminders.send_reminders(now=at(2026, 3, 31)).sent == 0
    assert reminders.send_reminders(now=at(2026, 4, 1)).sent == 1  # 90 days after 1 January


def test_bounced_inactive_and_closed_get_no_reminders(db):
    from django.utils import timezone

    _, bounced = facility_with_contact(name="不達", email="a@example.invalid", verified_at=at(2025, 1, 1))
    bounced.bounced_at = timezone.now()
    bounced.save()
    _, inactive = facility_with_contact(name="停止", email="b@example.invalid", verified_at=at(2025, 1, 1))
    inactive.is_active = False
    inactive.save()
    facility_with_contact(name="廃止", email="c@example.invalid", verified_at=at(2025, 1, 1), status="closed")

    assert reminders.send_reminders(now=at(2026, 7, 1)).due == 0


def test_the_command_reports_what_it_sent(db):
    facility_with_contact(verified_at=at(2020, 1, 1))
    from io import StringIO

    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "未送信の送信対象: 1 件" in out.getvalue()
    assert mail.outbox == []
    call_command("send_reminders", stdout=out)
    assert "今回送信 1 件" in out.getvalue()
    assert len(mail.outbox) == 1
