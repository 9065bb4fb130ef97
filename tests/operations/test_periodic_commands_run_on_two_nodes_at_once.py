"""Periodic commands may run on every node at once (docs/scaling.md): two real ``renkei send-reminders``
processes started together against one PostgreSQL send each due reminder exactly once — they claim their
work with conditional updates. PostgreSQL only: SQLite serves one machine, and the suite's SQLite test
database lives in memory, out of reach of other processes."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import timedelta
from email import message_from_bytes

import pytest
from django.db import connection
from django.utils import timezone

from renkei.freshness.models import ReminderDelivery
from tests.freshness.helpers import facility_with_contact
from tests.operations.server import production_env

FACILITIES = 120


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_every_reminder_once(region_data, tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("several nodes share a PostgreSQL; the suite's SQLite database is in memory")
    two_years_ago = timezone.now() - timedelta(days=730)
    for n in range(FACILITIES):
        facility_with_contact(
            name=f"並行送信テスト訪問看護{n:03d}",
            email=f"office{n:03d}@example.invalid",
            verified_at=two_years_ago,
        )
    mails = tmp_path / "mails"
    env = production_env(tmp_path / "var", DATABASE_URL=_database_url(), EMAIL_URL=f"filemail:///{mails}")
    env["SITE_URL"] = "https://renkei.example.jp"
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "renkei", "send-reminders"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=240) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    # Each run reports what it sent itself; together exactly every reminder (which run sent how many
    # depends on timing — in trials here 21 and 99).
    sent = [int(re.search(r"今回送信 (\d+) 件", out.decode()).group(1)) for out, _ in outputs]
    assert sum(sent) == FACILITIES

    recipients = []
    for path in mails.iterdir():
        # The file backend writes each message followed by a line of dashes.
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                recipients.append(message_from_bytes(chunk.strip())["To"])
    assert len(recipients) == FACILITIES
    assert sorted(recipients) == [f"office{n:03d}@example.invalid" for n in range(FACILITIES)]
    assert ReminderDelivery.objects.filter(sent_at__isnull=False).count() == FACILITIES
