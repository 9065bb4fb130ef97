from __future__ import annotations

import pytest

STATIONS = ["櫛引訪問看護ステーション", "五戸ナースステーション", "みなと訪問看護ステーション"]


@pytest.mark.parametrize("typed", ["訪問\x00看護", "\x00訪問看護\x1b", "訪問看護\x7f"])
def test_a_search_with_a_control_character_in_it_is_answered_not_a_500(client, directory, typed):
    api = client.get("/api/v1/facilities", {"q": typed})
    assert api.status_code == 200
    assert [row["name"] for row in api.json()["results"]] == STATIONS
    assert client.get("/api/v1/facilities.geojson", {"q": typed}).status_code == 200
    page = client.get("/facilities/", {"q": typed})
    assert page.status_code == 200
    assert "\x00" not in page.content.decode()
