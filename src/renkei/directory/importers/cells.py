"""Cleaning the cells of a row: control characters, lengths the database allows, text, addresses,
web addresses, coordinates, counts, readings and corporation names. Phone numbers, postal codes and
official numbers have their rule in :mod:`renkei.core.formats`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from renkei.core.formats import DASHES, InvalidFormat
from renkei.core.models import Municipality
from renkei.core.text import CONTROL_CHARACTERS, KATAKANA_TO_HIRAGANA
from renkei.directory.geocoding import municipality_bounds
from renkei.directory.models import Facility, field_label

# One value that cannot be accepted (the message is for people): the field formats' own error, so
# that the format cleaners of renkei.core.formats raise what the importers collect.
FieldError = InvalidFormat


_CONTROL = CONTROL_CHARACTERS


_CONTROL_NAMES = {"\x00": "NUL"}


def control_character_problems(header: list[str], row: list[str]) -> list[tuple[str, str]]:
    """``(column, message)`` for each cell of ``row`` holding a control character; one regular
    expression over the joined row in the usual case (nothing found), so it costs next to nothing."""
    if _CONTROL.search("".join(row)) is None:
        return []
    problems = []
    for position, value in enumerate(row):
        found = _CONTROL.search(value)
        if found is None:
            continue
        column = header[position] if position < len(header) and header[position] else f"{position + 1}列目"
        char = found.group()
        shown = _CONTROL_NAMES.get(char, f"U+{ord(char):04X}")
        problems.append(
            (
                column,
                f"制御文字（{shown}）が含まれています。壊れたファイルの可能性があります。"
                "元のファイルを確認し、この文字を消してから取り込んでください。",
            )
        )
    return problems


_MAX_LENGTHS: dict[str, int] = {}


def _max_lengths() -> dict[str, int]:
    if not _MAX_LENGTHS:
        for f in Facility._meta.concrete_fields:
            if f.max_length and not f.choices:
                _MAX_LENGTHS[f.attname] = f.max_length
    return _MAX_LENGTHS


def length_problems(values: dict[str, Any], labels: dict[str, str]) -> list[tuple[str, str]]:
    """``(column, message)`` for each text value longer than its database column allows, checked
    while parsing so that SQLite (which would store it) and PostgreSQL (which would refuse the
    whole import) behave the same. ``labels`` names the file's column of each field."""
    problems = []
    limits = _MAX_LENGTHS or _max_lengths()
    for name, value in values.items():
        if value.__class__ is str and len(value) > limits.get(name, 1 << 30):
            limit = limits[name]
            column = labels.get(name) or field_label(name)
            problems.append((column, f"{column}が長すぎます（{limit}文字まで、この行は{len(value)}文字）。"))
    return problems


SOURCE_FILE_LIMIT = 255  # Facility.source_file


def stored_file_name(name: str, limit: int = SOURCE_FILE_LIMIT) -> str:
    """The file name kept as a facility's provenance: no control characters, and at most ``limit``
    characters — a long name keeps its beginning and its end (the zip member's own name)."""
    name = _CONTROL.sub("_", name)
    if len(name) <= limit:
        return name
    tail = limit // 2
    return f"{name[: limit - tail - 1]}…{name[-tail:]}"


_DASHES = DASHES


_SPACES = re.compile(r"[\s\u3000]+")


def clean_text(value: str) -> str:
    """Trim and fold runs of whitespace (including line breaks inside a cell) to one space."""
    return _SPACES.sub(" ", value).strip()


_DASH_BETWEEN_DIGITS = re.compile(rf"(?<=[0-9])[{_DASHES}-](?=[0-9])")


def clean_address(value: str) -> str:
    """Addresses keep their kanji but get half-width digits and ASCII hyphens between numbers."""
    text = unicodedata.normalize("NFKC", clean_text(value))
    return _DASH_BETWEEN_DIGITS.sub("-", text)


_EMAIL = re.compile(r"^(mailto:)?[^@\s/]+@[^@\s/]+\.[^@\s/]+$", re.IGNORECASE)


def normalize_url(value: str) -> tuple[str, str]:
    """``(url, warning)``: repairs ``http//`` and a missing scheme; an e-mail address or something
    that is not a web address gives an empty URL and a warning (the row itself stays valid)."""
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return "", ""
    if _EMAIL.match(text):
        return "", f"「{text}」はメールアドレスです。ホームページ欄には取り込みませんでした。"
    repaired = re.sub(r"^(https?)//", r"\1://", text, flags=re.IGNORECASE)
    repaired = re.sub(r"^(https?):/(?!/)", r"\1://", repaired, flags=re.IGNORECASE)
    warning = ""
    if not re.match(r"^https?://", repaired, re.IGNORECASE):
        if re.match(r"^[a-z0-9.-]+\.[a-z]{2,}(/|$)", repaired, re.IGNORECASE):
            repaired = "http://" + repaired
        else:
            return "", f"「{text}」はホームページのアドレスとして読めないため、取り込みませんでした。"
    if repaired != text:
        warning = f"ホームページのアドレス「{text}」を「{repaired}」に直しました。"
    if " " in repaired or len(repaired) > 500 or not re.match(r"^https?://[^/\s]+\.[^/\s]+", repaired):
        return "", f"「{text}」はホームページのアドレスとして読めないため、取り込みませんでした。"
    return repaired, warning


JAPAN_LAT = (20.0, 46.0)


JAPAN_LON = (122.0, 154.0)


def parse_coordinates(lat_text: str, lon_text: str) -> tuple[float | None, float | None]:
    """WGS84 decimal degrees inside Japan; empty or 0.0 means unknown (None, None)."""
    lat_text = unicodedata.normalize("NFKC", lat_text).strip()
    lon_text = unicodedata.normalize("NFKC", lon_text).strip()
    if not lat_text and not lon_text:
        return None, None
    try:
        lat = float(lat_text) if lat_text else 0.0
        lon = float(lon_text) if lon_text else 0.0
    except ValueError:
        raise FieldError(f"緯度「{lat_text}」・経度「{lon_text}」が数値ではありません。") from None
    if (
        lat != lat
        or lon != lon
        or lat in (float("inf"), float("-inf"))
        or lon in (float("inf"), float("-inf"))
    ):
        raise FieldError(f"緯度「{lat_text}」・経度「{lon_text}」が数値ではありません。")
    if lat == 0.0 and lon == 0.0:
        return None, None
    if lat == 0.0 or lon == 0.0:
        raise FieldError("緯度と経度の片方だけが入っています。両方入れるか、両方空欄にしてください。")
    if JAPAN_LAT[0] <= lon <= JAPAN_LAT[1] and JAPAN_LON[0] <= lat <= JAPAN_LON[1]:
        raise FieldError(
            f"緯度 {lat_text}・経度 {lon_text} は日本の範囲外です。緯度と経度が入れ替わっていませんか。"
        )
    if not (JAPAN_LAT[0] <= lat <= JAPAN_LAT[1] and JAPAN_LON[0] <= lon <= JAPAN_LON[1]):
        raise FieldError(
            f"緯度 {lat_text}・経度 {lon_text} は日本の範囲外です（世界測地系の10進数で入力してください）。"
        )
    return round(lat, 7), round(lon, 7)


def outside_municipality_warning(lat: float | None, lon: float | None, municipality: Municipality) -> str:
    if lat is None or lon is None:
        return ""
    bounds = municipality_bounds(municipality.code)
    if bounds is None:
        return ""
    min_lat, min_lon, max_lat, max_lon = bounds
    if min_lat <= lat <= max_lat and min_lon <= lon <= max_lon:
        return ""
    return f"緯度 {lat}・経度 {lon} は{municipality.name}の区域から外れています。位置を確認してください。"


def parse_count(value: str, column: str) -> int | None:
    """A non-negative whole number; empty (and 0 where 0 means 'not entered') is handled by callers."""
    text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
    if not text:
        return None
    if not re.fullmatch(r"[0-9]{1,7}", text):
        raise FieldError(f"{column}「{value.strip()}」は0以上の整数で入力してください。")
    return int(text)


_KATAKANA_TO_HIRAGANA = KATAKANA_TO_HIRAGANA


def kana_reading(value: str) -> str:
    """Readings are kept in hiragana (full-width), whatever the source wrote."""
    return clean_text(unicodedata.normalize("NFKC", value)).translate(_KATAKANA_TO_HIRAGANA)


_CORPORATION_PREFIXES = (
    "医療法人",
    "社会医療法人",
    "特定医療法人",
    "社会福祉法人",
    "一般社団法人",
    "公益社団法人",
    "一般財団法人",
    "公益財団法人",
    "独立行政法人",
    "地方独立行政法人",
    "国立大学法人",
    "学校法人",
    "特定非営利活動法人",
    "株式会社",
    "有限会社",
    "合同会社",
)


def split_corporation(name: str) -> tuple[str, str]:
    """医療情報ネット writes 「医療法人○○会　○○病院」: ``(facility name, corporation)``."""
    text = name.strip()
    head, sep, tail = text.partition("\u3000")
    if sep and tail.strip() and head.startswith(_CORPORATION_PREFIXES):
        return clean_text(tail), clean_text(head)
    return clean_text(text), ""
