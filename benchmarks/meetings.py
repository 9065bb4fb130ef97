"""The region's yearly summary of meetings and trainings over 5,000 events and 100,000 attendances.

Target (issue 15): ``meetings.services.summary.yearly_figures`` for a 年度 ≤ 200 ms on SQLite and
PostgreSQL. Every event lies in the measured 年度 (the worst case: nothing is filtered away).

    .venv/bin/python benchmarks/meetings.py                                  # SQLite (a temp file)
    scripts/with-postgres.sh .venv/bin/python benchmarks/meetings.py         # PostgreSQL
    BENCH_EVENTS=1000 BENCH_ATTENDANCES=20000 .venv/bin/python benchmarks/meetings.py   # smaller

Prints one JSON line per figure (milliseconds: median and worst of several runs after a warm-up),
with the target beside it. The database is a throw-away test database, created and dropped here.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
TEMP = tempfile.mkdtemp(prefix="renkei-bench-")
os.environ.setdefault("RENKEI_VAR_DIR", TEMP)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from _setup import analyze, test_database  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

EVENTS = int(os.environ.get("BENCH_EVENTS", "5000"))
ATTENDANCES = int(os.environ.get("BENCH_ATTENDANCES", "100000"))
RUNS = 7
TOKYO = ZoneInfo("Asia/Tokyo")
FISCAL_YEAR = 2024


def emit(**figures) -> None:
    print(json.dumps({"benchmark": "meetings", "database": connection.vendor, **figures}, ensure_ascii=False))
    sys.stdout.flush()


def timed(function, runs: int = RUNS) -> tuple[float, float]:
    function()  # warm-up (connections, caches, query plans)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 1), round(max(samples), 1)


def populate() -> dict:
    from renkei.core.models import Municipality, Organization, Region, User
    from renkei.meetings.models import Attendance, Event, EventKind

    region = Region.objects.get(slug="hachinohe")
    municipalities = list(Municipality.objects.filter(region=region))
    offices = [
        Organization.objects.create(
            name=f"{m.name}役場（ベンチ）", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=m
        )
        for m in municipalities
    ]
    admin = User.objects.create_user(
        "bench-admin", password=None, organization=offices[0], role=User.Role.REGION_ADMIN
    )
    rng = random.Random(15)
    start = datetime(FISCAL_YEAR, 4, 1, 9, tzinfo=TOKYO)
    kinds = list(EventKind)
    created = Event.objects.bulk_create(
        [
            Event(
                region=region,
                municipality=municipalities[i % len(municipalities)] if i % 10 else None,
                organizer=offices[i % len(offices)],
                kind=rng.choice(kinds),
                title=f"ベンチ会議{i}",
                starts_at=(at := start + timedelta(minutes=rng.randrange(364 * 24 * 60))),
                ends_at=at + timedelta(hours=2),
                place="会場",
                on_paper=True,
                created_by=admin,
            )
            for i in range(EVENTS)
        ],
        batch_size=2000,
    )
    professions = list(User.Profession.values)
    # Paper counts: one row per (event, profession, from a 医療機関), each row counting 1 person, so
    # that the number of rows is the number of attendances (named rows cost the same to count).
    per_event = ATTENDANCES // EVENTS
    rows = []
    for event in created:
        combos = rng.sample([(p, m) for p in professions for m in (True, False)], k=min(per_event, 20))
        scope = event.attendance_scope()
        rows.extend(
            Attendance(event=event, **scope, profession=p, medical_institution=m, count=1) for p, m in combos
        )
    Attendance.objects.bulk_create(rows, batch_size=5000)
    analyze()
    return {"region": region, "admin": admin}


def main() -> None:
    with test_database(TEMP):
        from django.db.models import Sum

        from renkei.meetings.models import Attendance, Event
        from renkei.meetings.services import summary

        started = time.perf_counter()
        data = populate()
        emit(
            step="populate",
            events=Event.objects.count(),
            attendance_rows=Attendance.objects.count(),
            attendees=Attendance.objects.aggregate(n=Sum("count"))["n"],
            seconds=round(time.perf_counter() - started, 1),
        )
        median, worst = timed(lambda: summary.yearly_figures(data["region"], FISCAL_YEAR))
        emit(step="yearly_figures_region", median_ms=median, max_ms=worst, target_ms=200)

        client = Client()
        client.force_login(data["admin"])

        def page():
            response = client.get("/meetings/summary/", {"fiscal_year": FISCAL_YEAR})
            assert response.status_code == 200, response.status_code

        median, worst = timed(page)
        emit(step="summary_page_http_region", median_ms=median, max_ms=worst, target_ms=200)

        def excel():
            response = client.get("/meetings/summary.xlsx", {"fiscal_year": FISCAL_YEAR})
            assert response.status_code == 200, response.status_code

        median, worst = timed(excel, runs=3)
        emit(step="summary_excel_http_region", median_ms=median, max_ms=worst)


if __name__ == "__main__":
    main()
