from __future__ import annotations


def test_an_unknown_municipality_code_is_a_400_that_names_it(client, directory):
    response = client.get("/api/v1/facilities", {"municipality": "999999"})
    assert response.status_code == 400
    assert response.json()["error"]["details"] == [
        {"field": "municipality", "message": "市町村コード「999999」の市町村はありません。"}
    ]
    page = client.get("/facilities/", {"municipality": "999999"})
    assert page.status_code == 400
    assert "市町村コード「999999」の市町村はありません。" in page.content.decode()


def test_an_unknown_region_is_a_400(client, directory):
    for region in ("unknown", "a\x00b", "x" * 300):
        response = client.get("/api/v1/facilities", {"region": region})
        assert response.status_code == 400
        assert response.json()["error"]["details"][0]["field"] == "region"
    assert client.get("/api/v1/facilities", {"region": "hachinohe"}).json()["count"] == 8
    assert client.get("/api/v1/facilities", {"region": "all"}).json()["count"] == 8
