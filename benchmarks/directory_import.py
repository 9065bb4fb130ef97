"""Import throughput of the directory: a national-scale set of offices in the official
介護サービス情報公表システム CSV layout (one file per service type, many municipalities with valid
check digits), loaded through the real importer. Prints JSON lines.

    .venv/bin/python benchmarks/directory_import.py --facilities 500000
    scripts/with-postgres.sh .venv/bin/python benchmarks/directory_import.py --facilities 500000
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

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

HEADER = (
    "都道府県コード又は市町村コード,No,都道府県名,市区町村名,事業所名,事業所名カナ,サービスの種類,住所,"
    "方書（ビル名等）,緯度,経度,電話番号,FAX番号,法人番号,法人の名称,事業所番号,利用可能曜日,"
    "利用可能曜日特記事項,定員,URL,高齢者の方と障害者の方が同時一体的に利用できるサービス,"
    "介護保険の通常の指定基準を満たしている,障害福祉の通常の指定基準を満たしている,備考"
).split(",")
SERVICES = [
    ("110", "訪問介護", "ヘルパーステーション"),
    ("130", "訪問看護", "訪問看護ステーション"),
    ("150", "通所介護", "デイサービスセンター"),
    ("210", "短期入所生活介護", "ショートステイ"),
    ("320", "認知症対応型共同生活介護", "グループホーム"),
    ("430", "居宅介護支援", "ケアプランセンター"),
    ("510", "介護老人福祉施設", "特別養護老人ホーム"),
    ("780", "地域密着型通所介護", "地域デイサービス"),
]
WORDS = [
    "さくら",
    "ひまわり",
    "あおば",
    "かがやき",
    "こもれび",
    "やまびこ",
    "つばさ",
    "ひだまり",
    "みどり",
    "はまなす",
]
KANA = [
    "サクラ",
    "ヒマワリ",
    "アオバ",
    "カガヤキ",
    "コモレビ",
    "ヤマビコ",
    "ツバサ",
    "ヒダマリ",
    "ミドリ",
    "ハマナス",
]


def municipality_codes(count: int) -> list[tuple[str, str, str]]:
    from renkei.core.formats import PREFECTURES, check_digit

    codes = []
    rng = random.Random(1)
    for index in range(count):
        prefecture = f"{index % 47 + 1:02d}"
        city = 201 + index // 47 * 3 + rng.randrange(3)
        first_five = f"{prefecture}{city:03d}"
        codes.append((first_five + str(check_digit(first_five)), PREFECTURES[prefecture], f"ベンチ{index}市"))
    return codes


def generate(directory: Path, facilities: int, municipalities: list[tuple[str, str, str]]) -> int:
    rng = random.Random(2026)
    writers, handles = {}, []
    for code, name, _suffix in SERVICES:
        handle = open(directory / f"jigyosho_{code}.csv", "w", encoding="utf-8-sig", newline="")
        handles.append(handle)
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        writers[code] = (writer, name)
    rows = 0
    for number in range(facilities):
        code, prefecture, city = municipalities[number % len(municipalities)]
        office = f"{number:010d}"
        word = rng.randrange(len(WORDS))
        services = rng.sample(SERVICES, 2 if number % 5 == 0 else 1)
        lat = 24.5 + rng.random() * 20
        lon = 123.5 + rng.random() * 22
        for service_code, service_name, suffix in services:
            writer, _ = writers[service_code]
            writer.writerow(
                [
                    code, office, prefecture, city, f"{city}{WORDS[word]}{suffix}{number}",
                    f"{KANA[word]}{suffix}", service_name, f"{prefecture}{city}本町{number % 50 + 1}-{word + 1}", "",
                    f"{lat:.6f}", f"{lon:.6f}", f"0{rng.randrange(11, 99)}-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}",
                    "", "", f"社会福祉法人{WORDS[word]}会", office, "平日,土曜日", "", str(rng.choice([0, 18, 29, 50])),
                    f"https://example.jp/{number}/" if number % 3 == 0 else "", "", "", "", "",
                ]
            )  # fmt: skip
            rows += 1
    for handle in handles:
        handle.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--facilities", type=int, default=100_000)
    parser.add_argument("--municipalities", type=int, default=1700)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="renkei-bench-"))
    os.environ.setdefault("RENKEI_VAR_DIR", str(workdir / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(workdir / "bench.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from renkei.core.models import Municipality
        from renkei.directory.importers import run_import
        from renkei.directory.models import Facility, FacilityService

        municipalities = municipality_codes(args.municipalities)
        Municipality.objects.bulk_create(
            [
                Municipality(code=code, prefecture=prefecture, name=name)
                for code, prefecture, name in municipalities
            ],
            ignore_conflicts=True,
        )
        rows = generate(workdir, args.facilities, municipalities)
        files = sorted(workdir.glob("jigyosho_*.csv"))
        common = {"database": connection.vendor, "facilities": args.facilities, "rows": rows}

        for label in ("first_import", "same_file_again"):
            started, cpu_started = time.perf_counter(), time.process_time()
            report = run_import("kaigo", files)
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - cpu_started
            assert report.written and report.error_count == 0, report.summary_lines()
            print(
                json.dumps(
                    {
                        "benchmark": f"directory_import.{label}",
                        **common,
                        "added": report.added,
                        "unchanged": report.unchanged,
                        "seconds": round(seconds, 2),
                        "rows_per_second": round(rows / seconds),
                        # This process's CPU time (the database's own work is separate on
                        # PostgreSQL): on a shared machine the wall clock also counts other work.
                        "cpu_seconds": round(cpu_seconds, 2),
                        "load_average": round(os.getloadavg()[0], 2),
                        "target_rows_per_second": 10_000,
                    },
                    ensure_ascii=False,
                ),
                flush=True,
            )
        assert Facility.objects.count() == args.facilities
        assert FacilityService.objects.count() == rows
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
