"""An address that cannot be placed: the error says what is missing (the 市町村) and the form keeps
what was typed."""

from __future__ import annotations

import pytest

from renkei.directory.services import QueryError, parse_query


def test_a_town_without_its_municipality_names_the_missing_municipality(directory):
    with pytest.raises(QueryError) as raised:
        parse_query({"near_address": "湊町", "q": "訪問看護"})

    message = raised.value.errors[0]["message"]
    assert "市町村名がありません" in message
    assert "「八戸市湊町」のように、市町村名から入力してください。" in message
    assert raised.value.query is not None and raised.value.query.near_address == "湊町"


def test_the_search_page_keeps_what_was_typed(client, directory):
    response = client.get("/facilities/", {"q": "訪問看護", "near_address": "湊町", "radius_km": "2"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "市町村名がありません" in page
    assert 'name="near_address" id="id_near_address" value="湊町"' in page
    assert 'value="訪問看護"' in page
