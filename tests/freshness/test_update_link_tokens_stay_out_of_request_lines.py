"""The update link's token is in the mailed address only: the first request exchanges it for a
short-lived HttpOnly cookie bound to the link and redirects to an address without it, so every
later request line (what a server's access log keeps) and every page (forms, links, a Referer)
is free of the secret.

There is no production server in the project yet (the production-serving issue); the request
lines here are those the test client sends, the same method, path and query a server logs."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from renkei.freshness.services import links
from tests.freshness.helpers import facility_with_contact


@pytest.fixture(autouse=True)
def _clear_rate_counters():
    cache.clear()
    yield
    cache.clear()


def test_only_the_first_request_line_carries_the_token(client, db):
    facility, contact = facility_with_contact()
    link = links.issue_link(facility, contact.email)
    token = links.link_token(link)
    request_lines = []

    def request(method, path, **kwargs):
        response = getattr(client, method)(path, **kwargs)
        request_lines.append(f"{method.upper()} {response.wsgi_request.get_full_path()}")
        return response

    opened = request("get", f"/facilities/update/{token}/")
    assert opened.status_code == 303
    assert token not in opened["Location"] and opened["Location"] == "/facilities/update/"
    cookie = opened.cookies[links.SESSION_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == links.SESSION_SECONDS
    assert token not in cookie.value

    page = request("get", opened["Location"])
    assert page.status_code == 200
    assert token not in page.content.decode()
    done = request("post", "/facilities/update/confirm/")
    assert done.status_code == 200 and "ありがとうございました" in done.content.decode()
    assert token not in done.content.decode()

    assert [line for line in request_lines if token in line] == [request_lines[0]]
    facility.refresh_from_db()
    assert facility.verified_via == "link"


def test_the_cookie_is_no_token_and_ends_with_its_hour(client, db):
    facility, contact = facility_with_contact()
    link = links.issue_link(facility, contact.email)
    opened = client.get(f"/facilities/update/{links.link_token(link)}/")
    value = opened.cookies[links.SESSION_COOKIE].value

    assert client.get(f"/facilities/update/{value}/").status_code == 403  # not accepted as a link
    assert client.get("/facilities/update/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=links.SESSION_SECONDS + 5)):
        late = client.post("/facilities/update/confirm/")
    assert late.status_code == 403
    assert "もう一度開いてください" in late.content.decode()
    facility.refresh_from_db()
    assert facility.verified_at is None


def test_the_page_without_an_opened_link_changes_nothing(client, db):
    facility, _ = facility_with_contact()
    response = client.post("/facilities/update/confirm/")
    assert response.status_code == 403
    facility.refresh_from_db()
    assert facility.verified_at is None
