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
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import Timer, emit, percentile, setup_django

WORDS = [
    "さくら",
    "あおば",
    "ひまわり",
    "みどり",
    "つばさ",
    "けやき",
    "すずらん",
    "わかば",
    "あさひ",
    "ひばり",
]
KANJI = ["桜", "青葉", "向日葵", "緑", "翼", "欅", "鈴蘭", "若葉", "旭", "雲雀"]
TEXT_QUERIES = [
    "訪問看護", "ほうもんかんご", "ﾃﾞｲｻｰﾋﾞｽ", "居宅介護支援", "クリニック", "内科", "さくら", "桜",
    "訪問看護 24時間", "ケアプラン", "グループホーム", "みどり 訪問介護", "病院", "歯科", "通いの場",
]  # fmt: skip


def build_directory(total: int, seed: int = 7) -> dict:
    """Create regions and municipalities all over Japan and ``total`` facilities spread over them.

    The 八戸 region (the site's region) gets its real share (about 0.3 %); one large city region
    ("big") gets about 8 %, like a prefecture capital area.
    """
    from renkei.core.codes import with_check_digit
    from renkei.core.models import Municipality, Region
    from renkei.directory.catalog import CAPABILITY_FIELDS, SERVICE_TYPES, AcceptanceStatus
    from renkei.directory.models import Facility, FacilityService

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
        municipalities = [
            Municipality(
                code=with_check_digit(f"{prefecture:02d}{201 + i:03d}"),
                name=f"市{prefecture}-{i}",
                prefecture="",
                region=region,
            )
            for i in range(35)
        ]
        Municipality.objects.bulk_create(municipalities)
        center = (31.5 + (prefecture * 0.3) % 13, 130.5 + (prefecture * 0.27) % 11)
        others.append((region, list(Municipality.objects.filter(region=region)), center))

    service_codes = list(SERVICE_TYPES)
    shares = [("hachinohe", 0.003), ("big", 0.08)]
    batch: list[Facility] = []
    services: list[tuple[int, str]] = []
    created = 0

    def pick_region(index: int):
        fraction = index / total
        if fraction < shares[0][1]:
            return regions["hachinohe"]
        if fraction < shares[0][1] + shares[1][1]:
            return regions["big"]
        return others[index % len(others)]

    def flush():
        nonlocal batch
        made = Facility.objects.bulk_create(batch, batch_size=2000)
        FacilityService.objects.bulk_create(
            [
                FacilityService(facility=facility, code=code)
                for facility, (_, code) in zip(made, services, strict=True)
            ],
            batch_size=2000,
        )
        batch = []
        services.clear()

    with Timer() as timer:
        for index in range(total):
            region, municipalities, (lat0, lon0) = pick_region(index)
            municipality = municipalities[index % len(municipalities)]
            code = rng.choice(service_codes)
            service = SERVICE_TYPES[code]
            word = rng.randrange(len(WORDS))
            facility = Facility(
                name=f"{KANJI[word]}{service.name}{index}",
                name_kana=f"{WORDS[word]}{service.kana.split()[0]}{index}",
                category=service.category,
                municipality=municipality,
                address=f"{municipality.name}{rng.randint(1, 30)}丁目{rng.randint(1, 20)}",
                latitude=lat0 + rng.uniform(-0.25, 0.25),
                longitude=lon0 + rng.uniform(-0.3, 0.3),
                care_office_number=f"{index:010d}",
                acceptance_status=rng.choice(AcceptanceStatus.values),
                **{field: rng.choice([True, False, None]) for field in CAPABILITY_FIELDS},
            )
            facility.set_search_fields([code])
            batch.append(facility)
            services.append((index, code))
            created += 1
            if len(batch) >= 5000:
                flush()
        if batch:
            flush()
    return {"created": created, "seconds": timer.seconds, "regions": regions, "others": others}


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
    built = build_directory(args.facilities)
    emit(benchmark="directory.build", database=vendor, facilities=built["created"], seconds=round(built["seconds"], 1),
         rows_per_second=round(built["created"] / built["seconds"]))  # fmt: skip

    from django.db import connection

    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

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
