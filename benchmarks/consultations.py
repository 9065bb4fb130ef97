"""Consultation statistics on 100,000 records: the statistics page for one 年度 and the Excel report.

Target (issue 6): statistics for a fiscal year ≤ 200 ms, Excel report ≤ 2 s, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/consultations.py                                  # SQLite (a temp file)
    scripts/with-postgres.sh .venv/bin/python benchmarks/consultations.py         # PostgreSQL

Prints one JSON line per figure (milliseconds: median and worst of several runs after a warm-up).
The database is a throw-away test database, created and dropped by the script.
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

RECORDS = int(os.environ.get("BENCH_RECORDS", "100000"))
RUNS = 7
TOKYO = ZoneInfo("Asia/Tokyo")


def emit(**figures) -> None:
    print(
        json.dumps(
            {"benchmark": "consultations", "database": connection.vendor, **figures}, ensure_ascii=False
        )
    )
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
    from renkei.consultations import services
    from renkei.consultations.models import Channel, Consultation, RequesterType, Response, Status
    from renkei.core.models import Municipality, Organization, Region, User
    from renkei.core.text import normalize
    from renkei.directory.models import Facility

    region = Region.objects.get(slug="hachinohe")
    municipalities = list(Municipality.objects.filter(region=region))
    desks = []
    for municipality in municipalities:
        desks.append(
            Organization.objects.create(
                name=f"{municipality.name}地域包括支援センター",
                kind=Organization.Kind.COMMUNITY_SUPPORT_CENTER,
                municipality=municipality,
            )
        )
    desks.append(
        Organization.objects.create(
            name="八戸市医師会 在宅療養相談窓口",
            kind=Organization.Kind.MEDICAL_ASSOCIATION,
            municipality=municipalities[0],
        )
    )
    admin = User.objects.create_user(
        "bench-admin", password=None, organization=desks[-1], role=User.Role.REGION_ADMIN
    )
    facilities = Facility.objects.bulk_create(
        [
            Facility(
                name=f"ベンチ病院{i}",
                category="hospital" if i % 3 else "care_management_office",
                municipality=municipalities[i % len(municipalities)],
                search_text=normalize(f"ベンチ病院{i}"),
            )
            for i in range(300)
        ]
    )
    categories = list(services.categories_for(region))
    rng = random.Random(6)
    start = datetime(2020, 4, 1, tzinfo=TOKYO)
    span_minutes = int((datetime(2025, 4, 1, tzinfo=TOKYO) - start).total_seconds() // 60)
    types, channels, responses = list(RequesterType), list(Channel), list(Response)
    through = Consultation.categories.through
    batch, links = [], []

    def flush():
        created = Consultation.objects.bulk_create(batch, batch_size=2000)
        through.objects.bulk_create(
            [
                through(consultation_id=record.pk, consultationcategory_id=category.pk)
                for record, chosen in zip(created, links, strict=True)
                for category in chosen
            ],
            batch_size=5000,
        )
        batch.clear()
        links.clear()

    for index in range(RECORDS):
        received_at = start + timedelta(minutes=rng.randrange(span_minutes))
        facility = rng.choice(facilities) if index % 3 == 0 else None
        record = Consultation(
            desk=desks[index % len(desks)],
            received_at=received_at,
            channel=rng.choice(channels),
            requester_type=rng.choice(types),
            requester_facility=facility,
            requester_institution="" if facility or index % 3 == 1 else f"手入力機関{rng.randrange(500)}",
            response=rng.choice(responses),
            referred_facility=rng.choice(facilities) if index % 4 == 0 else None,
            status=Status.CONTINUING if index % 10 == 0 else Status.CLOSED,
            summary="ベンチマーク用の相談要旨",
        )
        record.set_derived_fields()
        batch.append(record)
        links.append(rng.sample(categories, k=1 + index % 2))
        if len(batch) == 5000:
            flush()
    if batch:
        flush()
    analyze()
    return {"desks": desks, "admin": admin}


def main() -> None:
    with test_database(TEMP):
        from renkei.consultations import services
        from renkei.consultations.models import Consultation

        started = time.perf_counter()
        data = populate()
        emit(
            step="populate",
            records=Consultation.objects.count(),
            seconds=round(time.perf_counter() - started, 1),
        )

        desks, fy = data["desks"], 2024
        period = services.Period.for_fiscal_year(fy)
        in_year = Consultation.objects.filter(received_on__range=(period.start, period.end)).count()

        median, worst = timed(lambda: services.compute_statistics(desks, period, "すべての窓口"))
        emit(
            step="statistics_fiscal_year_all_desks",
            records_in_period=in_year,
            median_ms=median,
            max_ms=worst,
            target_ms=200,
        )

        median, worst = timed(lambda: services.compute_statistics(desks[:1], period, desks[0].name))
        emit(step="statistics_fiscal_year_one_desk", median_ms=median, max_ms=worst, target_ms=200)

        five_years = services.Period(services.fiscal_year_range(2020)[0], period.end)
        median, worst = timed(lambda: services.compute_statistics(desks, five_years, "すべての窓口"), runs=3)
        emit(step="statistics_every_record_five_years", median_ms=median, max_ms=worst)

        client = Client()
        client.force_login(data["admin"])

        def page():
            response = client.get("/consultations/statistics/", {"fiscal_year": fy})
            assert response.status_code == 200, response.status_code

        median, worst = timed(page)
        emit(step="statistics_page_http_fiscal_year_all_desks", median_ms=median, max_ms=worst, target_ms=200)

        def excel():
            response = client.get("/consultations/statistics.xlsx", {"fiscal_year": fy})
            assert response.status_code == 200, response.status_code

        median, worst = timed(excel, runs=5)
        emit(step="excel_report_http_fiscal_year_all_desks", median_ms=median, max_ms=worst, target_ms=2000)

        # A desk's old tally sheet: 5,000 rows of CSV, validated and imported in one transaction.
        rows = [services.IMPORT_HEADINGS] + [
            [
                f"2019/{4 + i % 9}/{1 + i % 28} 10:{i % 60:02d}",
                "電話",
                "家族" if i % 2 else "医療機関",
                f"ベンチ病院{i % 300}" if i % 3 == 0 else "",
                "75〜84歳",
                "女性",
                "五戸町",
                "認知症、住まい" if i % 2 else "その他",
                "過去の集計表から",
                "情報提供",
                "",
                "15",
                "終結",
                "",
                "",
            ]
            for i in range(5000)
        ]
        data = services.csv_bytes(rows)
        started = time.perf_counter()
        result = services.import_consultations(None, desks[3], filename="old.csv", data=data)
        emit(
            step="import_csv_5000_rows",
            imported=result.imported,
            ms=round((time.perf_counter() - started) * 1000, 1),
        )


if __name__ == "__main__":
    main()
