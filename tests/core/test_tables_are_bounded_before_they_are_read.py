"""Files that lie about their size are refused in under a second, from the archive's directory or
while the first rows are read — never by unpacking or padding what they declare."""

from __future__ import annotations

import time

import pytest

from renkei.core.tabular import Limits, TableError, TableFile, read_table, zip_members
from tests.core import hostile_files

HEADINGS = ["ID", "名称"]


def refusal(data: bytes, name: str, limits: Limits | None = None) -> tuple[str, float]:
    start = time.perf_counter()
    with pytest.raises(TableError) as refused:
        source = TableFile.from_bytes(name, data)
        for member in zip_members(source, limits=limits):
            table = read_table(member, limits)
            for _ in table.rows:
                pass
    return refused.value.message, time.perf_counter() - start


@pytest.mark.parametrize(
    "build,name,reason",
    [
        (lambda: hostile_files.zip_bomb(), "iryo.zip", "圧縮率が極端に高く"),
        (
            lambda: hostile_files.zip_of_many_members(),
            "iryo.zip",
            "20,000個のファイルが入っています（100個まで）",
        ),
        (lambda: hostile_files.xlsx_bomb(HEADINGS), "bomb.xlsx", "圧縮率が極端に高く"),
        (lambda: hostile_files.xlsx_huge_shared_strings(HEADINGS), "strings.xlsx", "圧縮率が極端に高く"),
        (lambda: hostile_files.xlsx_wide_rows(HEADINGS), "wide.xlsx", "列が多すぎます（1000列まで）"),
    ],
    ids=["zip bomb", "many members", "xlsx bomb", "huge shared strings", "cells in column XFD"],
)
def test_a_hostile_file_is_refused_in_under_a_second_with_a_japanese_reason(build, name, reason):
    message, seconds = refusal(build(), name)
    assert message.startswith(name)
    assert reason in message
    assert seconds < 1.5  # a shared test machine; the benchmark shows the real figure


def test_a_million_rows_declared_are_refused_at_the_row_limit_not_padded():
    data = hostile_files.xlsx_million_rows(HEADINGS)
    message, seconds = refusal(data, "rows.xlsx", Limits.from_settings(max_rows=20000))
    assert "一度に取り込めるのは20000行までです" in message
    assert seconds < 1.5


def test_a_declared_dimension_is_ignored_and_the_rows_there_are_read():
    data = hostile_files.xlsx_declared_dimension_lies([HEADINGS, ["1", "八戸"], ["2", "五戸"]])
    start = time.perf_counter()
    table = read_table(TableFile.from_bytes("lies.xlsx", data))
    assert (table.header, list(table.rows)) == (HEADINGS, [(2, ["1", "八戸"]), (3, ["2", "五戸"])])
    assert time.perf_counter() - start < 1.5


def test_the_unpacked_size_is_bounded_even_when_the_ratio_is_modest():
    data = hostile_files.zip_bomb(size=20 * hostile_files.MB)
    limits = Limits.from_settings(max_uncompressed_bytes=10 * hostile_files.MB, max_ratio=10**6)
    message, _ = refusal(data, "iryo.zip", limits)
    assert message.startswith("iryo.zip は展開すると20MBになります（10MBまで）")


def test_a_file_larger_than_allowed_is_refused_before_it_is_read():
    message, _ = refusal(b"ID,name\r\n" * 200_000, "big.csv", Limits.from_settings(max_bytes=1024 * 1024))
    assert message == "big.csv は大きすぎます（2MB、1MBまで）。ファイルを分けてください。"


def test_a_csv_row_with_too_many_columns_is_refused():
    message, _ = refusal(b"a" + b",a" * 2000 + b"\r\n", "wide.csv")
    assert message == "wide.csv は列が多すぎます（1000列まで）。"


def test_the_limits_are_settings(settings):
    settings.RENKEI_TABLE_MAX_ZIP_MEMBERS = 5
    settings.RENKEI_TABLE_MAX_COLUMNS = 10
    assert Limits.from_settings().max_members == 5
    message, _ = refusal(b"a" + b",a" * 20 + b"\r\n", "wide.csv")
    assert "10列まで" in message
