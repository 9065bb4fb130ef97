"""An unchanged session is written at most once a minute (not on every request), and still ends after
30 minutes without a request: a person active every few minutes stays signed in for hours."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.core.totp import verified_login

PAGE = "/patients/"


def session_writes(queries: CaptureQueriesContext) -> int:
    return sum(
        1
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT")) and "django_session" in query["sql"]
    )


def expiry(client) -> object:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def signed_in(client) -> bool:
    response = client.get(PAGE)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
        return False
    assert response.status_code == 200
    return True


@pytest.fixture
def start(client, carol):
    verified_login(client, carol)
    return timezone.now()


def test_two_requests_within_a_minute_write_the_session_once_at_most(client, start):
    with time_machine.travel(start + timedelta(seconds=70), tick=False):
        with CaptureQueriesContext(connection) as first:
            assert signed_in(client)
    with time_machine.travel(start + timedelta(seconds=100), tick=False):
        with CaptureQueriesContext(connection) as second:
            assert signed_in(client)

    assert session_writes(first) == 1
    assert session_writes(second) == 0


def test_a_request_after_a_minute_moves_the_expiry_on(client, start):
    with time_machine.travel(start + timedelta(seconds=10), tick=False):
        assert signed_in(client)
    before = expiry(client)

    with time_machine.travel(start + timedelta(seconds=75), tick=False):
        assert signed_in(client)

    assert expiry(client) - before >= timedelta(seconds=60)


def test_thirty_idle_minutes_end_the_session(client, start):
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        assert signed_in(client)
    with time_machine.travel(start + timedelta(minutes=2, seconds=30), tick=False):
        assert signed_in(client)  # not written: the expiry still counts from minute 2

    with time_machine.travel(start + timedelta(minutes=32, seconds=1), tick=False):
        assert not signed_in(client)


def test_a_request_every_few_minutes_keeps_the_session_for_over_an_hour(client, start):
    for minute in range(4, 90, 4):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            assert signed_in(client), f"signed out at minute {minute}"


def test_an_anonymous_page_creates_no_session(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert session_writes(queries) == 0
    assert not Session.objects.exists()
