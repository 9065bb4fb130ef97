"""Search results for a hand-made directory, expected results written out by hand."""

from __future__ import annotations

import pytest

from renkei.directory.services import QueryError, parse_query, search_facilities


def names(params: dict) -> list[str]:
    return [facility.name for facility in search_facilities(parse_query(params)).facilities]


@pytest.mark.parametrize("typed", ["訪問看護", "ほうもんかんご", "ﾎｳﾓﾝｶﾝｺﾞ", "ホウモンカンゴ"])
def test_visiting_nursing_is_found_however_it_is_typed(directory, typed):
    # 五戸ナースステーション has 訪問看護 only as its service, not in its name. Order: by kana.
    assert names({"q": typed}) == [
        "櫛引訪問看護ステーション",
        "五戸ナースステーション",
        "みなと訪問看護ステーション",
    ]


def test_words_narrow_the_search_and_capabilities_count_as_words(directory):
    assert names({"q": "訪問看護 24時間", "municipality": "022039"}) == ["みなと訪問看護ステーション"]


def test_closed_resources_are_not_found(directory):
    assert names({"q": "みなと"}) == ["みなと訪問看護ステーション"]


def test_search_by_specialty_and_address(directory):
    assert names({"q": "内科"}) == ["三戸中央病院", "なかい内科クリニック"]
    assert names({"q": "階上町"}) == ["はしかみ いきいきサロン"]


def test_group_and_category_filters(directory):
    assert names({"group": "community"}) == ["はしかみ いきいきサロン"]
    assert names({"category": "hospital"}) == ["三戸中央病院"]
    assert names({"group": "care", "category": "hospital"}) == []


def test_service_filter_finds_every_office_offering_the_service(directory):
    assert names({"service": "720"}) == ["デイサービス新郷"]
    assert names({"service": ["150"]}) == ["デイサービス新郷"]
    # Two services asked for: the office offering both is found, and counted, once.
    both = search_facilities(parse_query({"service": ["150", "720"]}))
    assert (both.count, [f.name for f in both.facilities]) == (1, ["デイサービス新郷"])


def test_capability_filter_means_known_to_do_it(directory):
    assert names({"capability": "round_the_clock"}) == [
        "五戸ナースステーション",
        "みなと訪問看護ステーション",
    ]
    # Unknown is not false, and not true either.
    assert names({"capability": "end_of_life_care"}) == ["みなと訪問看護ステーション"]
    assert names({"capability": ["house_call", "home_visit_care"]}) == ["なかい内科クリニック"]


def test_acceptance_and_verified_filters(directory):
    assert names({"acceptance": "accepting,consult"}) == [
        "櫛引訪問看護ステーション",
        "みなと訪問看護ステーション",
    ]
    assert names({"verified": "1"}) == [
        "おいらせケアプランセンター",
        "五戸ナースステーション",
        "みなと訪問看護ステーション",
    ]


def test_freshness_order_puts_recent_confirmations_first_and_unconfirmed_last(directory):
    result = names({"sort": "freshness", "q": "ステーション"})
    assert result == ["みなと訪問看護ステーション", "五戸ナースステーション", "櫛引訪問看護ステーション"]


def test_near_a_point_sorts_by_distance_within_the_radius(directory):
    # From 八戸駅 (40.5090, 141.4310), by the spherical law of cosines:
    # 櫛引 3.08 km, なかい 4.83 km, みなと 8.69 km, 五戸 10.60 km (outside 9 km).
    result = search_facilities(parse_query({"near": "40.5090,141.4310", "radius_km": "9"}))
    assert [f.name for f in result.facilities] == [
        "櫛引訪問看護ステーション",
        "なかい内科クリニック",
        "みなと訪問看護ステーション",
    ]
    distances = [round(result.distances_km[f.pk], 1) for f in result.facilities]
    assert distances == [3.1, 4.8, 8.7]


def test_bounding_box_keeps_what_is_inside(directory):
    # A box around 八戸市 中心部 and 湊町.
    assert names({"bbox": "141.47,40.50,141.54,40.54"}) == [
        "なかい内科クリニック",
        "みなと訪問看護ステーション",
    ]


def test_paging_is_stable(directory):
    first = names({"page_size": "3", "page": "1"})
    second = names({"page_size": "3", "page": "2"})
    third = names({"page_size": "3", "page": "3"})
    assert len(first + second + third) == 8
    assert len(set(first + second + third)) == 8
    assert first == ["おいらせケアプランセンター", "櫛引訪問看護ステーション", "五戸ナースステーション"]


def test_a_page_past_the_end_is_empty_and_still_gives_the_total(directory):
    result = search_facilities(parse_query({"page_size": "3", "page": "4"}))
    assert (result.count, result.facilities) == (8, [])
    assert search_facilities(parse_query({"page_size": "3", "page": "3"})).count == 8


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": "501"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"radius_km": "1000"}, "radius_km"),
        ({"near": "abc"}, "near"),
        ({"near": "91,141"}, "near"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "141.6,40.5,141.4,40.6"}, "bbox"),
        ({"capability": "flying"}, "capability"),
        ({"category": "castle"}, "category"),
        ({"municipality": "12"}, "municipality"),
        ({"service": "999"}, "service"),
        ({"sort": "random"}, "sort"),
        ({"verified": "maybe"}, "verified"),
    ],
)
def test_bad_parameters_are_reported_in_japanese(params, field):
    with pytest.raises(QueryError) as caught:
        parse_query(params)
    assert [error["field"] for error in caught.value.errors] == [field]
    assert all(
        any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in e["message"])
        for e in caught.value.errors
    )


def test_renamed_facility_is_found_by_its_new_name_only(directory, alice):
    from renkei.directory.services import save_facility

    facility = directory["hashikami_salon"]
    facility.name = "道仏ふれあい広場"
    facility.name_kana = "どうぶつふれあいひろば"
    save_facility(facility, service_codes=None, user=alice)
    assert names({"q": "ふれあい広場"}) == ["道仏ふれあい広場"]
    assert names({"q": "いきいきサロン"}) == []


def test_deleted_facility_leaves_the_index(directory):
    directory["oirase_care"].delete()
    assert names({"q": "ケアプラン"}) == []


def test_a_single_character_finds_substrings_too(directory):
    assert names({"q": "郷"}) == ["デイサービス新郷"]


def test_near_a_typed_address_uses_the_town_centroid(directory):
    # 八戸市 大字湊町: 40.519168, 141.527277 in the shipped town data (国土交通省 位置参照情報).
    query = parse_query({"near_address": "八戸市 湊町", "radius_km": "2"})
    assert query.near == (40.519168, 141.527277)
    # みなと訪問看護ステーション is 1.5 km away; なかい内科クリニック 3.4 km.
    assert names({"near_address": "八戸市湊町", "radius_km": "2"}) == ["みなと訪問看護ステーション"]


def test_an_address_that_cannot_be_placed_is_reported(directory):
    with pytest.raises(QueryError, match="場所が見つかりませんでした"):
        parse_query({"near_address": "どこにもない町"})
