"""Property test: the same offices written the way real exports write them (full-width digits,
other dashes, brackets and spaces in phone numbers; half-width katakana readings) import to the
same facilities as the tidy spelling, and a tidy file read after a messy one changes nothing."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renkei.directory.importers import run_import
from renkei.directory.models import Facility
from tests.directory.conftest import kaigo_file, kaigo_row

KANA_CHARS = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def half_width(kana: str) -> str:
    return "".join(unicodedata.lookup("HALFWIDTH " + unicodedata.name(ch)) for ch in kana)


def hiragana(kana: str) -> str:
    return "".join(chr(ord(ch) - 0x60) for ch in kana)


# How a phone number 0178-AB-CDEF turns up in exports; each gives back the same number.
PHONE_STYLES = {
    "full_width": lambda a, b, c: f"{a}－{b}－{c}".translate(FULL_WIDTH_DIGITS),
    "hyphen_u2010": lambda a, b, c: f"{a}‐{b}‐{c}",
    "long_vowel_mark": lambda a, b, c: f"{a}ー{b}ー{c}",
    "bracketed_area_code": lambda a, b, c: f"({a}){b}-{c}",
    "full_width_brackets": lambda a, b, c: f"（{a}）{b}－{c}",
    "spaced": lambda a, b, c: f" {a} - {b} - {c} ",
}

offices = st.lists(
    st.fixed_dictionaries(
        {
            "number": st.integers(min_value=0, max_value=10**10 - 1).map(lambda n: f"{n:010d}"),
            "kana": st.text(KANA_CHARS, min_size=1, max_size=30),
            "exchange": st.integers(min_value=10, max_value=99),
            "line": st.integers(min_value=0, max_value=9999),
            "style": st.sampled_from(sorted(PHONE_STYLES)),
        }
    ),
    min_size=1,
    max_size=10,
    unique_by=lambda office: office["number"],
)


def _file(generated, *, messy: bool, encoding: str):
    rows = []
    for office in generated:
        exchange, line = f"{office['exchange']:02d}", f"{office['line']:04d}"
        phone = PHONE_STYLES[office["style"]]("0178", exchange, line) if messy else f"0178-{exchange}-{line}"
        rows.append(
            kaigo_row(
                事業所番号=office["number"],
                No=office["number"],
                事業所名=f"テスト事業所{office['number']}",
                事業所名カナ=half_width(office["kana"]) if messy else office["kana"],
                電話番号=phone,
            )
        )
    return kaigo_file(rows, encoding=encoding)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=offices, encoding=st.sampled_from(["utf-8-sig", "cp932"]))
def test_messy_spellings_import_as_the_tidy_ones_and_a_tidy_file_afterwards_changes_nothing(
    db, generated, encoding
):
    Facility.objects.all().delete()

    report = run_import("kaigo", [_file(generated, messy=True, encoding=encoding)])

    assert report.error_count == 0 and report.added == len(generated), report.errors
    for office in generated:
        facility = Facility.objects.get(care_office_number=office["number"])
        assert facility.phone == f"0178-{office['exchange']:02d}-{office['line']:04d}"
        assert facility.name_kana == hiragana(office["kana"])

    tidy = run_import("kaigo", [_file(generated, messy=False, encoding=encoding)])
    assert (tidy.added, tidy.updated, tidy.unchanged) == (0, 0, len(generated))
