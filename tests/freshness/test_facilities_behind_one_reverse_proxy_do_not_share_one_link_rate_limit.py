"""Behind a reverse proxy every request comes from the proxy's address. With
RENKEI_TRUSTED_PROXY_COUNT=1 the per-address limit on update links counts each facility's own
address (from X-Forwarded-For), so one busy or hostile client does not lock out the others."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from renkei.freshness.services import links

PROXY = "10.0.0.1"
BAD_TOKEN = "/facilities/update/not-a-real-token/"
LIMIT = links.RATE_LIMIT * 3  # requests one address may make per window


@pytest.fixture(autouse=True)
def _clear_rate_counters():
    cache.clear()
    yield
    cache.clear()


def _hammer(client, forwarded_for):
    return [
        client.get(BAD_TOKEN, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for).status_code
        for _ in range(LIMIT + 1)
    ]


def test_with_one_trusted_proxy_one_clients_requests_do_not_lock_out_another(client, db, settings):
    settings.RENKEI_TRUSTED_PROXY_COUNT = 1

    statuses = _hammer(client, "203.0.113.5")

    assert statuses[:-1] == [403] * 90 and statuses[-1] == 429
    other = client.get(BAD_TOKEN, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 403  # its own count: the link is refused as tampered, not rate-limited


def test_a_client_cannot_escape_the_limit_by_sending_its_own_forwarded_for(client, db, settings):
    settings.RENKEI_TRUSTED_PROXY_COUNT = 1
    # The proxy appends the real address; whatever the client wrote before it is ignored.
    for index in range(LIMIT):
        client.get(BAD_TOKEN, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{index}, 203.0.113.5")

    response = client.get(BAD_TOKEN, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.250, 203.0.113.5")

    assert response.status_code == 429


def test_without_trusted_proxies_the_forwarded_header_is_ignored(client, db, settings):
    settings.RENKEI_TRUSTED_PROXY_COUNT = 0

    _hammer(client, "203.0.113.5")

    other = client.get(BAD_TOKEN, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 429  # the same REMOTE_ADDR: one count
