"""Directory benchmark: a national-scale directory, then the search mix and the map's GeoJSON.

    .venv/bin/python benchmarks/directory.py --facilities 500000
    scripts/with-postgres.sh .venv/bin/python benchmarks/directory.py --facilities 500000

Prints JSON lines: build/import figures, then p50/p95 (ms) of 1,000 searches through
``renkei.directory.services.search_facilities`` (the function pages and API use) and of the
GeoJSON for a city view. Targets (issue 3): import ≥ 10,000 rows/s, search p95 ≤ 25 ms,
GeoJSON city view p95 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import Timer, emit, percentile, setup_django

TEXT_QUERIES = [
    "訪問看護", "ほうもんかんご", "ﾃﾞｲｻｰﾋﾞｽ", "居宅介護支援", "ケアプラン", "グループホーム", "さくら", "サクラ",
    "ひまわり ヘルパー", "ショートステイ", "特別養護", "本町", "みどり 訪問", "デイ", "ホーム",
]  # fmt: skip


def build_directory(total: int, workdir: Path, seed: int = 7) -> dict:
    """Regions and municipalities all over Japan, then ``total`` offices written in the official
    介護サービス情報公表システム CSV layout and loaded through the real importer (timed).

    The 八戸 region (the site's region) gets its real share (about 0.3 %); one large city region
    ("big") about 8 %, like a prefecture capital area; the rest is spread over 45 other regions.
    Capabilities and acceptance, which no national file carries, are then set as the freshness
    workflow would, so that the facet searches have something to find.
    """
    from directory_import import HEADER, KANA, SERVICES, WORDS

    from renkei.core.formats import PREFECTURES, with_check_digit
    from renkei.core.models import Municipality, Region
    from renkei.directory.catalog import CAPABILITY_FIELDS
    from renkei.directory.importers import run_import

    rng = random.Random(seed)
    hachinohe = Region.objects.get(slug="hachinohe")
    regions = {"hachinohe": (hachinohe, list(hachinohe.municipalities.all()), (40.50, 141.45))}
    big = Region.objects.create(slug="big", name="大都市圏域", short_name="大都市", prefecture="東京都")
    big_municipalities = [
        Municipality.objects.create(
            code=with_check_digit(f"13{101 + i:03d}"), name=f"区{i}", prefecture="東京都", region=big
        )
        for i in range(23)
    ]
    regions["big"] = (big, big_municipalities, (35.68, 139.76))
    others = []
    for prefecture in range(1, 48):
        if prefecture in (2, 13):
            continue
        region = Region.objects.create(
            slug=f"p{prefecture:02d}", name=f"圏域{prefecture}", short_name=f"圏域{prefecture}", prefecture=""
        )
        Municipality.objects.bulk_create(
            [
                Municipality(
                    code=with_check_digit(f"{prefecture:02d}{201 + i:03d}"),
                    name=f"市{prefecture}-{i}",
                    prefecture=PREFECTURES[f"{prefecture:02d}"],
                    region=region,
                )
                for i in range(35)
            ]
        )
        center = (31.5 + (prefecture * 0.3) % 13, 130.5 + (prefecture * 0.27) % 11)
        others.append((region, list(Municipality.objects.filter(region=region)), center))

    def pick_region(index: int):
        fraction = index / total
        if fraction < 0.003:
            return regions["hachinohe"]
        if fraction < 0.083:
            return regions["big"]
        return others[index % len(others)]

    handles, writers = [], {}
    for code, _name, _suffix in SERVICES:
        handle = open(workdir / f"jigyosho_{code}.csv", "w", encoding="utf-8-sig", newline="")
        handles.append(handle)
        writers[code] = csv.writer(handle, lineterminator="\r\n")
        writers[code].writerow(HEADER)
    rows = 0
    for number in range(total):
        _region, municipalities, (lat0, lon0) = pick_region(number)
        municipality = municipalities[number % len(municipalities)]
        office = f"{number:010d}"
        word = rng.randrange(len(WORDS))
        lat, lon = lat0 + rng.uniform(-0.25, 0.25), lon0 + rng.uniform(-0.3, 0.3)
        for service_code, service_name, suffix in rng.sample(SERVICES, 2 if number % 5 == 0 else 1):
            writers[service_code].writerow(
                [
                    municipality.code, office, municipality.prefecture or "青森県", municipality.name,
                    f"{municipality.name}{WORDS[word]}{suffix}{number}", f"{KANA[word]}{suffix}", service_name,
                    f"{municipality.name}本町{number % 50 + 1}-{word + 1}", "", f"{lat:.6f}", f"{lon:.6f}",
                    f"0{rng.randrange(11, 99)}-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}", "", "",
                    f"社会福祉法人{WORDS[word]}会", office, "平日,土曜日", "", "0", "", "", "", "", "",
                ]
            )  # fmt: skip
            rows += 1
    for handle in handles:
        handle.close()

    cpu_started = time.process_time()
    with Timer() as timer:
        report = run_import("kaigo", sorted(workdir.glob("jigyosho_*.csv")))
    cpu_seconds = time.process_time() - cpu_started
    assert report.written and report.error_count == 0, report.summary_lines()

    from django.db import connection

    assignments = ", ".join(
        f"{field} = CASE id % {3 + index % 4} WHEN 0 THEN TRUE WHEN 1 THEN FALSE ELSE NULL END"
        for index, field in enumerate(CAPABILITY_FIELDS)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE directory_facility SET {assignments}, acceptance_status = CASE id % 4 WHEN 0 THEN 'accepting' "  # noqa: S608
            "WHEN 1 THEN 'consult' WHEN 2 THEN 'not_accepting' ELSE 'unknown' END"
        )
    return {
        "created": report.added,
        "rows": rows,
        "seconds": timer.seconds,
        "cpu_seconds": cpu_seconds,
        "regions": regions,
        "others": others,
    }


def search_mix(
    region_slug: str, center: tuple[float, float], municipality_codes: list[str], count: int, seed: int
) -> list[dict]:
    from renkei.directory.catalog import CAPABILITY_FIELDS, Category

    rng = random.Random(seed)
    mix = []
    for index in range(count):
        kind = ("text", "facets", "near", "bbox")[index % 4]
        params: dict = {"region": region_slug}
        if kind == "text":
            params["q"] = rng.choice(TEXT_QUERIES)
            if rng.random() < 0.3:
                params["municipality"] = rng.choice(municipality_codes)
        elif kind == "facets":
            params["category"] = rng.choice(Category.values)
            params["capability"] = rng.sample(CAPABILITY_FIELDS, rng.randint(0, 2))
            if rng.random() < 0.5:
                params["municipality"] = rng.choice(municipality_codes)
            if rng.random() < 0.5:
                params["acceptance"] = "accepting"
        elif kind == "near":
            lat, lon = center[0] + rng.uniform(-0.15, 0.15), center[1] + rng.uniform(-0.2, 0.2)
            params["near"] = f"{lat:.5f},{lon:.5f}"
            params["radius_km"] = rng.choice(["2", "5", "10"])
        else:
            lat, lon = center[0] + rng.uniform(-0.1, 0.1), center[1] + rng.uniform(-0.1, 0.1)
            params["bbox"] = f"{lon - 0.06:.5f},{lat - 0.04:.5f},{lon + 0.06:.5f},{lat + 0.04:.5f}"
        mix.append({"kind": kind, "params": params})
    return mix


def run_mix(mix: list[dict]) -> dict[str, list[float]]:
    from renkei.directory.services import parse_query, search_facilities

    timings: dict[str, list[float]] = {"all": []}
    for item in mix:
        with Timer() as timer:
            result = search_facilities(parse_query(item["params"]))
            len(result.facilities)
        milliseconds = timer.seconds * 1000
        timings["all"].append(milliseconds)
        timings.setdefault(item["kind"], []).append(milliseconds)
    return timings


def run_geojson(
    center: tuple[float, float], region_slug: str, count: int, seed: int
) -> tuple[list[float], float]:
    from renkei.directory.services import geojson, parse_query

    rng = random.Random(seed)
    timings, sizes = [], []
    for _ in range(count):
        lat, lon = center[0] + rng.uniform(-0.1, 0.1), center[1] + rng.uniform(-0.1, 0.1)
        # A city view on a laptop screen at zoom 12: about 10 km × 9 km.
        bbox = f"{lon - 0.06:.5f},{lat - 0.04:.5f},{lon + 0.06:.5f},{lat + 0.04:.5f}"
        with Timer() as timer:
            body = json.dumps(geojson(parse_query({"bbox": bbox, "region": region_slug})), ensure_ascii=False)
        timings.append(timer.seconds * 1000)
        sizes.append(body.count('"Feature"'))
    return timings, sum(sizes) / len(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facilities", type=int, default=500_000)
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--geojson", type=int, default=200)
    args = parser.parse_args()

    vendor = setup_django("directory")
    workdir = Path(tempfile.mkdtemp(prefix="renkei-bench-directory-"))
    built = build_directory(args.facilities, workdir)
    emit(
        benchmark="directory.import",
        database=vendor,
        facilities=built["created"],
        rows=built["rows"],
        seconds=round(built["seconds"], 1),
        rows_per_second=round(built["rows"] / built["seconds"]),
        # On SQLite all the work is this process's: rows per CPU-second is what a quiet machine gives.
        rows_per_cpu_second=round(built["rows"] / built["cpu_seconds"]),
        load_average=round(os.getloadavg()[0], 2),
        target_rows_per_second=10_000,
    )

    from django.db import connection

    with connection.cursor() as cursor:
        # The set-up's UPDATE of capabilities rewrote every row: on PostgreSQL, let VACUUM clear the
        # dead versions (as autovacuum would soon after) so that searches measure the steady state.
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")

    for slug in ("hachinohe", "big"):
        region, municipalities, center = built["regions"][slug]
        codes = [m.code for m in municipalities]
        from renkei.directory.models import Facility

        facility_count = Facility.objects.filter(municipality__region=region).count()
        mix = search_mix(slug, center, codes, args.searches, seed=11)
        run_mix(mix[:50])  # warm caches
        timings = run_mix(mix)
        emit(
            benchmark="directory.search",
            database=vendor,
            region=slug,
            region_facilities=facility_count,
            searches=len(timings["all"]),
            p50_ms=round(percentile(timings["all"], 0.5), 2),
            p95_ms=round(percentile(timings["all"], 0.95), 2),
            by_kind={
                kind: {"p50_ms": round(percentile(v, 0.5), 2), "p95_ms": round(percentile(v, 0.95), 2)}
                for kind, v in timings.items()
                if kind != "all"
            },
        )
        geo, features = run_geojson(center, slug, args.geojson, seed=13)
        emit(
            benchmark="directory.geojson_city_view",
            database=vendor,
            region=slug,
            requests=len(geo),
            mean_features=round(features),
            p50_ms=round(percentile(geo, 0.5), 2),
            p95_ms=round(percentile(geo, 0.95), 2),
        )


if __name__ == "__main__":
    main()
