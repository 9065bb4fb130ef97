"""Two real ``renkei continuity send-acp-reminders`` processes started together against one PostgreSQL
send each reminder of a passed 人生会議 review date exactly once — they claim their work with
conditional updates, like every periodic command (docs/scaling.md). PostgreSQL only: the suite's
SQLite test database lives in memory, out of reach of other processes."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from email import message_from_bytes
from pathlib import Path

import pytest
from django.db import connection

import renkei
from renkei.continuity.models import AcpReminder
from renkei.core.models import Municipality, Organization, User
from renkei.sharing.models import TeamRole
from tests.conftest import make_user
from tests.operations.server import production_env

from .conftest import add_member, give_consent, register
from .test_acp import record

PATIENTS = 20  # one owner registers them all: the daily duplicate-check limit


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_every_acp_reminder_once(region_data, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("several nodes share a PostgreSQL; the suite's SQLite database is in memory")
    hachinohe = Municipality.objects.get(code="022039")
    office = Organization.objects.create(
        name="並行送信テスト居宅介護支援事業所",
        kind=Organization.Kind.CARE_MANAGEMENT_OFFICE,
        municipality=hachinohe,
    )
    station = Organization.objects.create(
        name="並行送信テスト訪問看護", kind=Organization.Kind.VISITING_NURSE_STATION, municipality=hachinohe
    )
    owner = make_user(
        "owner",
        office,
        User.Role.PROFESSIONAL,
        profession=User.Profession.CARE_MANAGER,
        email="owner@example.invalid",
    )
    for n in range(PATIENTS):
        nurse = make_user(
            f"nurse{n:03d}",
            station,
            User.Role.PROFESSIONAL,
            profession=User.Profession.NURSE,
            email=f"nurse{n:03d}@example.invalid",
        )
        patient = register(
            owner, full_name_kana=f"かくう はなこ{n:03d}", birth_date=date(1930, 1, 1 + n % 28)
        )
        give_consent(patient, owner)
        add_member(patient, owner, nurse, TeamRole.VISITING_NURSE)
        record(owner, patient, date(2026, 6, 1), date(2026, 11, 1))
    mails = tmp_path / "mails"
    env = production_env(tmp_path / "var", DATABASE_URL=_database_url(), EMAIL_URL=f"filemail:///{mails}")
    env["SITE_URL"] = "https://renkei.example.jp"
    env["PYTHONPATH"] = str(Path(renkei.__file__).resolve().parent.parent)  # this checkout's code
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "renkei", "continuity", "send-acp-reminders"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=240) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    # Each run reports what it sent; together exactly every reminder: the owner's for each patient
    # (one mail) and each nurse's for their own patient.
    sent = [int(re.search(r"送信 (\d+)件", out.decode()).group(1)) for out, _ in outputs]
    assert sum(sent) == 2 * PATIENTS

    recipients, owner_links = [], 0
    for path in mails.iterdir():
        # The file backend writes each message followed by a line of dashes.
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = message_from_bytes(chunk.strip())
                recipients.append(message["To"])
                if message["To"] == "owner@example.invalid":
                    owner_links += message.get_payload(decode=True).decode().count("/continuity/patients/")
    expected = [f"nurse{n:03d}@example.invalid" for n in range(PATIENTS)]
    # The owner's reminders may be split over the two runs' mails, but each one is in exactly one.
    assert sorted(r for r in recipients if r != "owner@example.invalid") == expected
    assert owner_links == PATIENTS
    assert AcpReminder.objects.filter(sent_at__isnull=False).count() == 2 * PATIENTS
    assert AcpReminder.objects.filter(sent_at=None).count() == 0
