"""A category typed as it is read finds its facilities (a phone keyboard gives kana first)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from renkei.directory.models import Facility
from renkei.directory.services import parse_query, search_facilities


def names(text: str) -> list[str]:
    return [facility.name for facility in search_facilities(parse_query({"q": text})).facilities]


@pytest.mark.parametrize("typed", ["かよいのば", "カヨイノバ", "通いの場"])
def test_the_gathering_place_is_found_by_its_category_read_in_kana(directory, typed):
    assert names(typed) == ["はしかみ いきいきサロン"]


def test_a_hospital_is_found_by_byouin(directory):
    assert names("びょういん") == ["三戸中央病院"]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("directory", target)])


@pytest.mark.django_db(transaction=True)
def test_upgrading_adds_the_reading_to_facilities_already_stored(region_data, hachinohe):
    salon = Facility.objects.create(name="長根サロン", category="gathering_place", municipality=hachinohe)
    salon.set_search_fields([])
    salon.save()
    # As a database written before readings were part of the text.
    Facility.objects.filter(pk=salon.pk).update(
        search_text="長根さろん通いの場八戸市",
        search_grams="m022039 場八 戸市 八戸 通い の場 いの さろ ろん 長根 根さ ん通",
    )
    assert names("かよいのば") == []
    _migrate("0004_freshness")
    _migrate("0005_category_readings_in_search_text")
    assert names("かよいのば") == ["長根サロン"]


@pytest.mark.parametrize(
    ("typed", "found"),
    [("ないか", ["三戸中央病院", "なかい内科クリニック"]), ("せいけいげか", ["三戸中央病院"])],
)
def test_a_specialty_typed_in_hiragana_finds_it(directory, typed, found):
    # 三戸中央病院 has 内科 and 整形外科 only as specialties, not in its name or its reading.
    assert names(typed) == found
