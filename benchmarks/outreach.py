"""Outreach benchmark: the HSDS ``/services`` page of 50 and the A4 guide of every 八戸市 entry.

    .venv/bin/python benchmarks/outreach.py                      # the demo directory + 3,000 extra entries
    .venv/bin/python benchmarks/outreach.py --extra 0 --requests 50
    scripts/with-postgres.sh .venv/bin/python benchmarks/outreach.py

The directory is the demo's (the real importers on the sample files), plus ``--extra`` synthetic
entries spread over the region's municipalities (a third of them in 八戸市). Then ``--requests``
random pages of ``GET /api/v1/hsds/services?per_page=50`` through Django's test client (the whole
request: routing, the query, building the objects, JSON) and one A4 guide of every 八戸市 entry.
Prints JSON lines with each figure beside its target (issue 17): HSDS page p95 ≤ 50 ms, the 八戸市
guide ≤ 15 s.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import Timer, emit, percentile, setup_django

NAMES = [
    "さくら",
    "ひまわり",
    "みどり",
    "あおば",
    "はまなす",
    "いちょう",
    "かえで",
    "つばき",
    "すずらん",
    "けやき",
]
KINDS = [
    ("visiting_nurse_station", "訪問看護ステーション", "ほうもんかんごすてーしょん", "130"),
    ("care_management_office", "ケアプランセンター", "けあぷらんせんたー", "430"),
    ("day_service", "デイサービス", "でいさーびす", "150"),
    ("clinic", "クリニック", "くりにっく", ""),
    ("gathering_place", "いきいきサロン", "いきいきさろん", ""),
]


def add_entries(count: int, seed: int = 17) -> None:
    from django.utils import timezone

    from renkei.core.models import Municipality
    from renkei.directory.models import Facility, FacilityService

    rng = random.Random(seed)
    municipalities = list(Municipality.objects.filter(region__slug="hachinohe").order_by("code"))
    hachinohe = next(m for m in municipalities if m.code == "022039")
    now = timezone.now()
    facilities = []
    for number in range(count):
        municipality = hachinohe if number % 3 == 0 else rng.choice(municipalities)
        category, label, kana, _service = rng.choice(KINDS)
        name = rng.choice(NAMES)
        facility = Facility(
            name=f"{name}{label}{number}",
            name_kana=f"{name}{kana}{number}",
            category=category,
            municipality=municipality,
            address=f"青森県{municipality.county}{municipality.name}本町{number % 50 + 1}-{number % 7 + 1}",
            phone=f"0178-{number % 90 + 10:02d}-{number % 10000:04d}",
            latitude=40.5 + rng.uniform(-0.1, 0.1),
            longitude=141.4 + rng.uniform(-0.1, 0.1),
            round_the_clock=rng.choice([True, None]),
            verified_at=now if number % 2 else None,
            source=Facility.Source.RENKEI,
        )
        facility.set_search_fields([])
        facilities.append(facility)
    created = Facility.objects.bulk_create(facilities, batch_size=1000)
    FacilityService.objects.bulk_create(
        [
            FacilityService(facility=facility, code=code)
            for facility in created
            if (code := next(k[3] for k in KINDS if k[0] == facility.category))
        ],
        batch_size=1000,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--extra", type=int, default=3000, help="synthetic entries added to the demo directory"
    )
    parser.add_argument("--requests", type=int, default=200, help="HSDS pages requested")
    options = parser.parse_args()
    vendor = setup_django("outreach")

    from django.conf import settings
    from django.test import Client

    from renkei.directory import demo as directory_demo
    from renkei.directory.models import Facility
    from renkei.outreach.services import guide

    with Timer() as built:
        directory_demo.load(io.StringIO())
        add_entries(options.extra)
    region_entries = Facility.objects.filter(municipality__region__slug="hachinohe").count()
    emit(
        benchmark="outreach",
        database=vendor,
        step="build",
        entries=region_entries,
        seconds=round(built.seconds, 1),
    )

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]  # the test client's host name
    client = Client()
    pages = max(1, region_entries // 50)
    client.get("/api/v1/hsds/services?per_page=50")  # warm-up: URL resolution, imports
    rng = random.Random(3)
    samples = []
    for _ in range(options.requests):
        started = time.perf_counter()
        response = client.get(f"/api/v1/hsds/services?per_page=50&page={rng.randint(1, pages)}")
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and response.json()["size"] == 50
    emit(
        benchmark="outreach",
        database=vendor,
        step="hsds_services_page_of_50",
        requests=len(samples),
        p50_ms=round(percentile(samples, 0.5), 1),
        p95_ms=round(percentile(samples, 0.95), 1),
        target_p95_ms=50,
    )

    hachinohe_entries = guide.build_guide("022039").entries
    with Timer() as printed:
        content = guide.guide_pdf("022039", layout="a4")
    emit(
        benchmark="outreach",
        database=vendor,
        step="guide_a4_every_hachinohe_entry",
        entries=len(hachinohe_entries),
        pdf_bytes=len(content),
        seconds=round(printed.seconds, 1),
        target_seconds=15,
    )


if __name__ == "__main__":
    main()
