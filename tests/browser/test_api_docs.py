"""The API documentation (Swagger UI) works with no network: its scripts and styles are ours."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_fits_width


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_api_docs_render_the_operations_offline(live_server, fixture, request):
    page = request.getfixturevalue(fixture)
    outside: list[str] = []
    blocked: list[str] = []
    page.on("console", lambda message: message.type == "error" and blocked.append(message.text))

    def only_our_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_our_server)
    page.goto(live_server.url + "/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock-summary-path").filter(has_text="/api/v1/patients/").count() >= 1
    assert page.get_by_text("Renkei API").first.is_visible()
    assert outside == []
    assert [text for text in blocked if "Content Security Policy" in text] == []
    # No axe-core check here: the markup is Swagger UI's own (it nests its expand button inside the
    # operation's summary button), which we serve unchanged rather than fork.
    if fixture == "phone_page":
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert_fits_width(page)
