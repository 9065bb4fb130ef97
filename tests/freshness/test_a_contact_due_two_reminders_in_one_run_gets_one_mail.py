"""A contact whose entry and acceptance status are both due on the same run gets one mail, with one
link, that asks for both."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core import mail

from renkei.freshness.models import ReminderDelivery, UpdateLink
from renkei.freshness.services import reminders
from tests.freshness.helpers import facility_with_contact


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://renkei.example.jp"


def test_a_contact_due_for_its_entry_and_its_acceptance_status_gets_one_mail_with_one_link(db):
    # Entry confirmed 1 January 2026: due 30 June, first reminder 31 May.
    # Acceptance stated 1 May 2026: due 31 May (30 days), reminder on the due date.
    facility_with_contact(
        verified_at=datetime(2026, 1, 1, 3, tzinfo=UTC),
        acceptance_status="available",
        acceptance_stated_at=date(2026, 5, 1),
    )

    run = reminders.send_reminders(now=datetime(2026, 5, 31, 3, tzinfo=UTC))

    assert (run.sent, run.mails) == (2, 1)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "【Renkei】掲載情報・受入状況のご確認のお願い（みなと訪問看護ステーション）"
    assert "掲載情報の確認の期限は2026年6月30日です。" in message.body
    assert "受入状況の確認の期限は2026年5月31日です。" in message.body
    assert message.body.count("https://renkei.example.jp/facilities/update/") == 1
    assert UpdateLink.objects.count() == 1
    assert ReminderDelivery.objects.filter(sent_at__isnull=False).count() == 2
