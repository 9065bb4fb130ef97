"""``send-reminders --dry-run`` tells how many reminders a real run would send now, not those
already sent."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import time_machine
from django.core import mail
from django.core.management import call_command

from tests.freshness.helpers import facility_with_contact


def test_dry_run_after_a_real_run_reports_nothing_left_to_send(db):
    facility_with_contact(email="a@example.invalid", verified_at=datetime(2020, 1, 1, tzinfo=UTC))
    facility_with_contact(name="二", email="b@example.invalid", verified_at=datetime(2020, 1, 1, tzinfo=UTC))
    out = StringIO()
    with time_machine.travel(datetime(2026, 5, 1, 3, tzinfo=UTC), tick=False):
        call_command("send_reminders", "--dry-run", stdout=out)
        assert "未送信の送信対象: 2 件" in out.getvalue()
        call_command("send_reminders", stdout=StringIO())
        assert len(mail.outbox) == 2

        out = StringIO()
        call_command("send_reminders", "--dry-run", stdout=out)

    assert "未送信の送信対象: 0 件" in out.getvalue()
    assert len(mail.outbox) == 2
