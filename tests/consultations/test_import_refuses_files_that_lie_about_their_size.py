"""A tally sheet that lies about its size is refused in under a second with a Japanese reason, and
nothing is imported (issue 12: a 1.6 KB .xlsx once took the server to 2.87 GB)."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from renkei.consultations.models import Consultation
from tests.consultations.conftest import tokyo
from tests.consultations.test_import import HEADINGS, upload
from tests.core import hostile_files
from tests.core.totp import verified_login

COLUMNS = HEADINGS.split(",")


@pytest.mark.parametrize(
    "build,reason",
    [
        (lambda: hostile_files.xlsx_million_rows(COLUMNS), "一度に取り込めるのは20000行までです"),
        (lambda: hostile_files.xlsx_huge_shared_strings(COLUMNS), "圧縮率が極端に高く"),
        (lambda: hostile_files.xlsx_bomb(COLUMNS, size=40 * hostile_files.MB), "圧縮率が極端に高く"),
        (lambda: hostile_files.xlsx_wide_rows(COLUMNS), "列が多すぎます"),
    ],
    ids=["a million rows declared", "huge shared strings", "xlsx bomb", "cells in column XFD"],
)
@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_a_hostile_workbook_is_refused_quickly_and_nothing_is_imported(client, dan, build, reason):
    verified_login(client, dan)
    data = build()
    start = time.perf_counter()
    response = upload(client, "集計.xlsx", data)
    seconds = time.perf_counter() - start
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert Consultation.objects.count() == 0
    assert seconds < 2  # a shared test machine; benchmarks/tabular_limits.py shows the real figure


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_a_workbook_that_unpacks_beyond_the_desk_limit_is_refused(client, dan, settings):
    settings.CONSULTATIONS_IMPORT_MAX_UNCOMPRESSED_BYTES = 5 * hostile_files.MB
    settings.RENKEI_TABLE_MAX_COMPRESSION_RATIO = 10**6
    verified_login(client, dan)
    response = upload(client, "集計.xlsx", hostile_files.xlsx_bomb(COLUMNS, size=8 * hostile_files.MB))
    assert response.status_code == 400
    assert "集計.xlsx は展開すると" in response.content.decode()
    assert Consultation.objects.count() == 0


def test_a_file_over_the_desk_limit_is_refused_by_the_form(client, dan, settings):
    settings.CONSULTATIONS_IMPORT_MAX_BYTES = 1024 * 1024
    verified_login(client, dan)
    response = upload(client, "big.csv", (HEADINGS + "\r\n").encode() * 20_000)
    assert response.status_code == 400
    assert "ファイルが大きすぎます（1MBまで）" in response.content.decode()
    assert Consultation.objects.count() == 0


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(client, dan, settings):
    settings.RENKEI_MAX_REQUEST_BYTES = 1024 * 1024
    settings.DEBUG = False
    verified_login(client, dan)
    big = SimpleUploadedFile("big.csv", b"x" * (2 * 1024 * 1024))
    response = client.post("/consultations/import/", {"file": big})
    assert response.status_code == 400
    assert "送信されたファイルが大きすぎます（1回の送信で合計1MBまで）" in response.content.decode()
    assert Consultation.objects.count() == 0
