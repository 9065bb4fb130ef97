"""A database that cannot be reached mid-request gives a 503: a Japanese page for people, the API's
one error body for programs, each with Retry-After — not the generic 500 page."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError
from django.test import Client

from renkei.directory import services


@pytest.fixture
def unreachable(settings, monkeypatch):
    settings.DEBUG = False

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(services, "search_facilities", refuse)


@pytest.mark.django_db
def test_a_page_says_in_japanese_that_renkei_is_unavailable_for_a_moment(unreachable):
    response = Client(raise_request_exception=False).get("/facilities/", {"q": "訪問"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "<title>一時的に利用できません – Renkei</title>" in page
    assert "データベースに接続できないため、ただいま Renkei を利用できません。" in page
    assert "127.0.0.1" not in page


@pytest.mark.django_db
def test_the_api_answers_its_json_error(unreachable):
    response = Client(raise_request_exception=False).get("/api/v1/facilities", {"q": "訪問"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert json.loads(response.content) == {
        "error": {
            "code": "database_unavailable",
            "message": "データベースに接続できないため、一時的に利用できません。しばらくしてからもう一度お試しください。",
            "details": [],
        }
    }
