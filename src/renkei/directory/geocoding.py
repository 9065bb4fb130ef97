"""An offline, town-level geocoder for the region (町字の代表点).

An address typed by a person or read from a file is matched against the town centroids shipped in
``data/towns/`` (Geolonia japanese-addresses, built from 国土交通省 位置参照情報): the municipality by
name (with or without 都道府県 and 郡), then the longest 町字 (大字/字 optional, 丁目 in kanji or
digits, full- or half-width). Nothing leaves the machine.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from renkei.core.text import normalize

TOWNS_DIR = Path(__file__).resolve().parent / "data" / "towns"

# Margin added around the town centroids of a municipality: centroids lie inside the boundary, so
# the real area reaches a few kilometres beyond the outermost ones.
BOUNDS_MARGIN_DEGREES = 0.06

_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CHOME = re.compile(r"([〇一二三四五六七八九十]+)(丁目|番町|線)")


def _kanji_number(text: str) -> int:
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + (_KANJI_DIGITS.get(ones, 0) if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + _KANJI_DIGITS[ch]
    return value


def _key(text: str) -> str:
    """The form towns and addresses are compared in: normalised, 丁目 numbers as digits,
    「大字」「字」 dropped (people write them or not)."""
    folded = normalize(text)
    folded = _CHOME.sub(lambda m: f"{_kanji_number(m.group(1))}{m.group(2)}", folded)
    return folded.replace("大字", "").replace("字", "")


@dataclass(frozen=True)
class _Town:
    lat: float
    lon: float
    label: str
    oaza: str  # the 大字 (or 町) the point lies in, without 「大字」「字」: 「久慈町」


@dataclass(frozen=True)
class _Municipality:
    code: str
    prefecture: str
    county: str
    name: str
    towns: dict[str, _Town]
    longest_town_key: int
    centroid: tuple[float, float]
    bounds: tuple[float, float, float, float]


@cache
def _municipalities() -> dict[str, _Municipality]:
    index = json.loads((TOWNS_DIR / "index.json").read_text(encoding="utf-8"))
    result = {}
    for code, entry in index.items():
        entries = json.loads((TOWNS_DIR / entry["file"]).read_text(encoding="utf-8"))
        towns: dict[str, _Town] = {}
        for item in entries:
            label = item["town"] + item["koaza"]
            town = _Town(
                item["lat"], item["lng"], label, _strip_prefix(_strip_prefix(item["town"], "大字"), "字")
            )
            key = _key(label)
            # The 大字 itself (no 小字) is listed first; keep the first point of each key.
            towns.setdefault(key, town)
            if item["koaza"]:
                towns.setdefault(_key(item["town"]), town)
        lats = [item["lat"] for item in entries]
        lons = [item["lng"] for item in entries]
        result[code] = _Municipality(
            code=code,
            prefecture=entry["prefecture"],
            county=entry["county"],
            name=entry["name"],
            towns=towns,
            longest_town_key=max((len(key) for key in towns), default=0),
            centroid=(sum(lats) / len(lats), sum(lons) / len(lons)),
            bounds=(
                min(lats) - BOUNDS_MARGIN_DEGREES,
                min(lons) - BOUNDS_MARGIN_DEGREES,
                max(lats) + BOUNDS_MARGIN_DEGREES,
                max(lons) + BOUNDS_MARGIN_DEGREES,
            ),
        )
    return result


def _strip_prefix(text: str, prefix: str) -> str:
    return text[len(prefix) :] if prefix and text.startswith(prefix) else text


def geocode(address_text: str | None) -> tuple[float, float, str, str] | None:
    """``(lat, lon, municipality_code, matched_text)`` for an address of the region, or None.

    The point is the centroid of the longest matching 町字; when only the municipality is
    recognised, the centre of its towns (``matched_text`` is then just the municipality's name).
    """
    match = _match(address_text)
    if match is None:
        return None
    municipality, town = match
    if town is not None:
        return (town.lat, town.lon, municipality.code, f"{municipality.name}{town.label}")
    lat, lon = municipality.centroid
    return (lat, lon, municipality.code, municipality.name)


def town_of(address_text: str | None) -> str:
    """The 町字 an address of the region lies in (「大字是川」「南類家三丁目」), or "" when none is
    recognised: it tells apart facilities of the same name in one municipality."""
    match = _match(address_text)
    return match[1].label if match is not None and match[1] is not None else ""


def _match(address_text: str | None) -> tuple[_Municipality, _Town | None] | None:
    """The municipality an address names and its longest matching 町字 (None: only the municipality)."""
    if not address_text:
        return None
    text = _key(address_text)
    for municipality in _municipalities().values():
        rest = _strip_prefix(text, _key(municipality.prefecture))
        rest = _strip_prefix(rest, _key(municipality.county))
        name = _key(municipality.name)
        if not rest.startswith(name):
            continue
        return municipality, _longest_town(municipality, rest[len(name) :])
    return None


def _longest_town(municipality: _Municipality, rest: str) -> _Town | None:
    """The longest 町字 of the municipality that ``rest`` (an address key after the 市町村) starts with."""
    for length in range(min(len(rest), municipality.longest_town_key), 0, -1):
        town = municipality.towns.get(rest[:length])
        if town is not None:
            return town
    return None


def oaza_of(address_text: str | None, municipality_code: str) -> str:
    """The 大字 or 町 (without 「大字」「字」) of an address in the given municipality — written with or
    without its 都道府県, 郡 and 市町村 — or "" when no 町字 of it is recognised."""
    municipality = _municipalities().get(municipality_code)
    if not address_text or municipality is None:
        return ""
    rest = _strip_prefix(_key(address_text), _key(municipality.prefecture))
    rest = _strip_prefix(rest, _key(municipality.county))
    rest = _strip_prefix(rest, _key(municipality.name))
    town = _longest_town(municipality, rest)
    return town.oaza if town is not None else ""


def towns_of(municipality_code: str) -> list[str]:
    """Every 大字 or 町 of the municipality (without 「大字」), in the order of the town data."""
    municipality = _municipalities().get(municipality_code)
    if municipality is None:
        return []
    return list(dict.fromkeys(town.oaza for town in municipality.towns.values()))


def town_key(text: str) -> str:
    """The form 町字 are compared in (what staff type against the town data)."""
    return _key(text)


def municipalities_with_town(address_text: str) -> list[str]:
    """The names of the region's municipalities that have a 町字 the text starts with (the text
    written without its 市町村, as 「湊町」 for 八戸市湊町)."""
    text = _key(address_text)
    if not text:
        return []
    return [
        municipality.name
        for municipality in _municipalities().values()
        if any(text.startswith(key) for key in municipality.towns if len(key) >= 2)
    ]


def municipality_bounds(code: str) -> tuple[float, float, float, float] | None:
    """``(min_lat, min_lon, max_lat, max_lon)`` around the municipality's towns (with a margin),
    or None for a municipality without town data."""
    municipality = _municipalities().get(code)
    return municipality.bounds if municipality else None
