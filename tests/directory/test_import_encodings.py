from __future__ import annotations

import pytest

from renkei.core.formats import InvalidFormat, normalize_phone, normalize_postal_code
from renkei.directory.importers import run_import
from renkei.directory.models import Facility
from tests.directory.conftest import kaigo_file, kaigo_row


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-8-sig", "髙橋①訪問看護"),
        ("utf-8", "髙橋①訪問看護"),
        ("cp932", "髙橋①訪問看護"),  # 髙 and ① exist in CP932 only, not in plain Shift_JIS
        ("shift_jis", "高橋訪問看護"),
    ],
)
def test_each_encoding_gives_the_same_facility(db, encoding, name):
    report = run_import("kaigo", [kaigo_file([kaigo_row(事業所名=name)], encoding=encoding)])
    assert report.added == 1, report.refused
    assert Facility.objects.get().name == name


def test_full_width_digits_and_dash_variants_in_phone_numbers_are_normalised(db):
    run_import(
        "kaigo", [kaigo_file([kaigo_row(電話番号="０１７８－６２－０００１", FAX番号="0178 62 0002")])]
    )
    facility = Facility.objects.get()
    assert (facility.phone, facility.fax) == ("0178-62-0001", "0178-62-0002")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("０１７８ー２２ー１２３４", "0178-22-1234"),
        ("0178(22)1234", "0178-22-1234"),
        ("0178‐22‐1234", "0178-22-1234"),
        ("0178221234", "0178-22-1234"),
        ("09012345678", "090-1234-5678"),
        ("", ""),
    ],
)
def test_phone_numbers(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("〒031-0001", "031-0001"), ("０３１０００１", "031-0001"), ("031－0001", "031-0001")],
)
def test_postal_codes(raw, expected):
    assert normalize_postal_code(raw) == expected


def test_an_unreadable_phone_number_is_refused_by_the_normaliser():
    with pytest.raises(InvalidFormat, match="電話番号として読めません"):
        normalize_phone("代表へ")


def test_an_unreadable_phone_in_an_official_file_is_a_warning_and_left_empty(db):
    report = run_import("kaigo", [kaigo_file([kaigo_row(電話番号="代表へ")])])
    assert report.added == 1
    assert Facility.objects.get().phone == ""
    assert report.warnings[0].column == "電話番号"
