"""``client_address``: REMOTE_ADDR unless Renkei is told how many proxies of its own stand in front."""

from __future__ import annotations

from django.test import RequestFactory

from renkei.core.client_address import client_address


def _request(forwarded_for=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **extra)


def test_without_trusted_proxies_the_remote_address_is_the_client(settings):
    settings.RENKEI_TRUSTED_PROXY_COUNT = 0
    assert client_address(_request("203.0.113.5")) == "10.0.0.2"


def test_with_two_trusted_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.RENKEI_TRUSTED_PROXY_COUNT = 2
    # client-written, real client (added by the outer proxy), outer proxy (added by the inner one)
    assert client_address(_request("198.51.100.7, 203.0.113.5, 10.0.0.1")) == "203.0.113.5"


def test_a_request_that_bypassed_the_proxies_or_carries_garbage_falls_back_to_the_remote_address(settings):
    settings.RENKEI_TRUSTED_PROXY_COUNT = 1
    assert client_address(_request()) == "10.0.0.2"
    assert client_address(_request("")) == "10.0.0.2"
    assert client_address(_request("not-an-address")) == "10.0.0.2"
    assert client_address(_request("2001:db8::1")) == "2001:db8::1"
