from __future__ import annotations

import pytest

from renkei.directory.geocoding import geocode, municipality_bounds


def test_an_address_with_prefecture_and_county_finds_its_town_centroid():
    assert geocode("青森県三戸郡五戸町字古堂48-12") == (40.526714, 141.2962, "024422", "五戸町字古堂")


def test_full_width_digits_and_chome_in_digits_find_the_same_town():
    expected = (40.514304, 141.476152, "022039", "八戸市長根二丁目")
    assert geocode("八戸市長根２丁目４２－１３") == expected
    assert geocode("青森県八戸市長根二丁目42-13") == expected


def test_oaza_may_be_left_out():
    assert (
        geocode("八戸市糠塚23-8")
        == geocode("八戸市大字糠塚23-8")
        == (40.490896, 141.48738, "022039", "八戸市大字糠塚")
    )


def test_the_longest_town_wins_over_a_shorter_prefix():
    # 「字古堂後」 must not stop at 「字古堂」.
    assert geocode("五戸町字古堂後5")[3] == "五戸町字古堂後"


def test_a_former_village_prefix_is_part_of_the_town_name():
    assert geocode("八戸市南郷中野1") == (40.403681, 141.410179, "022039", "八戸市南郷大字中野")


def test_an_unknown_town_falls_back_to_the_municipality():
    lat, lon, code, matched = geocode("青森県三戸郡新郷村どこか1-1")
    assert (code, matched) == ("024503", "新郷村")
    # the middle of its two towns (40.453328, 141.112886) and (40.432988, 141.183343)
    assert (lat, lon) == (pytest.approx(40.443158), pytest.approx(141.1481145))


def test_addresses_outside_the_region_or_empty_are_not_found():
    assert geocode("東京都千代田区霞が関1-2-2") is None
    assert geocode("") is None
    assert geocode(None) is None


def test_municipality_bounds_enclose_its_towns_with_a_margin():
    assert municipality_bounds("024503") == (
        40.432988 - 0.06,
        141.112886 - 0.06,
        40.453328 + 0.06,
        141.183343 + 0.06,
    )
    assert municipality_bounds("131016") is None
