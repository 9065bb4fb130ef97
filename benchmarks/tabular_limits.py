"""Hostile tables against the bounded reader (renkei.core.tabular): the time to refuse each one beside
the time to read a normal small file, with the consultations import's limits.

Target (issue 12): every hostile file refused in under a second, nothing unpacked or padded.

    .venv/bin/python benchmarks/tabular_limits.py

Prints one JSON line per file (milliseconds: median and worst of several runs; packed size; reason).
No database is needed.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from renkei.consultations.services import IMPORT_HEADINGS, import_limits  # noqa: E402
from renkei.core.tabular import TableError, TableFile, read_table  # noqa: E402
from tests.core import hostile_files  # noqa: E402

RUNS = 5


def read(name: str, data: bytes) -> str:
    try:
        table = read_table(TableFile.from_bytes(name, data), import_limits())
        rows = sum(1 for _ in table.rows)
    except TableError as exc:
        return f"refused: {exc.message}"
    return f"read {rows} rows"


def timed(name: str, data: bytes) -> tuple[float, float, str]:
    outcome = read(name, data)  # warm-up (openpyxl's import)
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        read(name, data)
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 2), round(max(samples), 2), outcome


def main() -> None:
    headings = list(IMPORT_HEADINGS)
    example = ["2024/04/08 10:30", "電話", "家族", "", "75〜84歳", "女性", "八戸市", "認知症", "", "情報提供"]
    normal_rows = [headings] + [example] * 100
    normal_csv = "".join(",".join(row) + "\r\n" for row in normal_rows).encode("utf-8")
    files = {
        "normal.csv (100 rows)": ("normal.csv", normal_csv),
        "normal.xlsx (100 rows)": ("normal.xlsx", hostile_files.workbook(normal_rows)),
        "xlsx declaring 1,000,000 rows": ("rows.xlsx", hostile_files.xlsx_million_rows(headings)),
        "xlsx with 3,000,000 shared strings": (
            "strings.xlsx",
            hostile_files.xlsx_huge_shared_strings(headings),
        ),
        "xlsx whose sheet unpacks to 200 MB": ("bomb.xlsx", hostile_files.xlsx_bomb(headings)),
        "xlsx with cells in column XFD": ("wide.xlsx", hostile_files.xlsx_wide_rows(headings)),
        "zip bomb (one CSV of 200 MB)": ("iryo.zip", hostile_files.zip_bomb()),
        "zip of 20,000 members": ("iryo.zip", hostile_files.zip_of_many_members()),
    }
    for label, (name, data) in files.items():
        median, worst, outcome = timed(name, data)
        figures = {"file": label, "packed_bytes": len(data), "median_ms": median, "worst_ms": worst}
        print(json.dumps({"benchmark": "tabular_limits", **figures, "outcome": outcome}, ensure_ascii=False))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
