"""Survey benchmark: the seed read and imported, the regional table written, the figures of a 年度.

    .venv/bin/python benchmarks/reports.py                 # BENCH_RECORDS=20000 consultation records
    scripts/with-postgres.sh .venv/bin/python benchmarks/reports.py

Prints JSON lines, each step's median and worst of five runs (ms) beside its floor (target_ms).
"""

from __future__ import annotations

import os
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import Timer, emit, setup_django

RUNS = 5


def _timed(step: str, target_ms: int, action) -> None:
    samples = []
    for _ in range(RUNS):
        with Timer() as timer:
            action()
        samples.append(timer.seconds * 1000)
    samples.sort()
    emit(step=step, median_ms=round(samples[RUNS // 2], 1), max_ms=round(samples[-1], 1), target_ms=target_ms)


def _consultations(records: int) -> None:
    from renkei.consultations.models import Consultation
    from renkei.core.models import Municipality, Organization

    desks = [
        Organization.objects.create(
            name=f"{municipality.name}ベンチ窓口",
            kind=Organization.Kind.COMMUNITY_SUPPORT_CENTER,
            municipality=municipality,
        )
        for municipality in Municipality.objects.filter(region__slug="hachinohe")
    ]
    rng = random.Random(16)
    start = datetime(2024, 4, 1, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    rows = []
    for _ in range(records):
        rows.append(
            Consultation(
                desk=rng.choice(desks), received_at=start + timedelta(minutes=rng.randrange(365 * 24 * 60)),
                channel="phone", requester_type=rng.choice(["family", "care_provider", "self", "medical_institution"]),
                response="information", status="closed",
            )
        )  # fmt: skip
        rows[-1].set_derived_fields()
    Consultation.objects.bulk_create(rows, batch_size=2000)


def main() -> None:
    vendor = setup_django("reports")
    from renkei.core.models import Region
    from renkei.reports.models import ReportRound
    from renkei.reports.seed import parse_table
    from renkei.reports.seed_data import shipped_text
    from renkei.reports.services.export import export_pdf, export_workbook
    from renkei.reports.services.importing import import_seed
    from renkei.reports.services.indicators import indicators_for

    records = int(os.environ.get("BENCH_RECORDS", "20000"))
    region = Region.objects.get(slug="hachinohe")
    text = shipped_text()
    names = set(region.municipalities.values_list("name", flat=True))
    emit(vendor=vendor, consultation_records=records)
    _timed("parse_seed", 50, lambda: parse_table(text, names))
    _timed(
        "import_seed_again", 2000, lambda: import_seed(None, region, date(2021, 12, 31), text, source="bench")
    )
    report_round = ReportRound.objects.get(region=region, as_of=date(2021, 12, 31))
    _timed("export_xlsx", 1000, lambda: export_workbook(None, report_round))
    _timed("export_pdf", 15000, lambda: export_pdf(None, report_round))
    _consultations(records)
    _timed("indicators_fiscal_year", 2000, lambda: indicators_for(None, region, fiscal_year=2024))


if __name__ == "__main__":
    main()
