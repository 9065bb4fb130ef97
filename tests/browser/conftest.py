"""Playwright driving Debian's Chromium against the live test server.

Playwright's sync API runs an event loop in the test thread; the Django ORM calls the tests make
around it are still plain synchronous calls, so Django's async-safety guard is relaxed here only.

Every page a browser test opens is checked again at the end of the test in a 360 px phone context
with the same cookies: it must not scroll sideways and axe-core must find nothing serious
(``PhoneAudit``). A test therefore never has to remember to call the check on its pages.
"""

from __future__ import annotations

import os
import shutil
from urllib.parse import parse_qsl, urlsplit

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERIOUS = {"serious", "critical"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


PHONE_WIDTH = 360
PHONE_CONTEXT = {"viewport": {"width": PHONE_WIDTH, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="session")
def chromium_browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class PhoneAudit:
    """Remembers the pages each browser context opens and re-opens them on a 360 px phone.

    The re-visit happens when the context closes (or when the test ends), with the context's own
    cookies, so pages behind a login are seen as the test saw them. Only full-page GETs that answer
    200 with HTML are checked; the query string counts by its keys (a map moved ten times is one page).
    """

    def __init__(self, chromium, live_server_url: str):
        self.chromium = chromium
        self.origin = live_server_url
        self.watched: list[tuple[object, dict, dict]] = []
        self.failures: list[str] = []
        self.checked: set[str] = set()

    def watch(self, context, options: dict) -> None:
        visited: dict[str, str] = {}

        def remember(frame) -> None:
            url = frame.url
            if frame.parent_frame is None and url.startswith(self.origin):
                parts = urlsplit(url)
                keys = ",".join(sorted({key for key, _ in parse_qsl(parts.query)}))
                visited.setdefault(f"{parts.path}?{keys}", url)

        def on_page(page) -> None:
            page.on("framenavigated", remember)

        context.on("page", on_page)
        real_close = context.close

        def close(*args, **kwargs):
            self.check(context)
            return real_close(*args, **kwargs)

        context.close = close
        self.watched.append((context, options, visited))

    def check(self, context) -> None:
        for watched, options, visited in self.watched:
            if watched is context and visited:
                self._revisit(context, options, visited)
                visited.clear()

    def check_all(self) -> None:
        for context, _, _ in list(self.watched):
            self.check(context)

    def _revisit(self, context, options: dict, visited: dict[str, str]) -> None:
        phone_options = {key: value for key, value in options.items() if key not in PHONE_CONTEXT}
        phone = self.chromium.new_context(
            **phone_options, **PHONE_CONTEXT, storage_state=context.storage_state()
        )
        try:
            page = phone.new_page()
            page.set_default_timeout(15_000)
            for key, url in visited.items():
                if key in self.checked:
                    continue
                self.checked.add(key)
                self._check_page(page, url, javascript=options.get("java_script_enabled", True))
        finally:
            phone.close()

    def _check_page(self, page, url: str, javascript: bool) -> None:
        from playwright.sync_api import Error as PlaywrightError

        try:
            response = page.goto(url)
        except PlaywrightError:  # a download, or a POST-only address
            return
        if (
            response is None
            or response.status != 200
            or "text/html" not in response.headers.get("content-type", "")
        ):
            return
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            self.failures.append(f"{url}: {width}px wide at {PHONE_WIDTH}px{widest_elements(page)}")
        if javascript and urlsplit(url).path not in THIRD_PARTY_MARKUP:
            try:
                assert_accessible(page)
            except AssertionError as error:
                self.failures.append(f"{url} at {PHONE_WIDTH}px: {error}")


# Pages whose markup is a library's, served unchanged: they must fit a phone, but axe-core's findings
# there (Swagger UI nests its expand button in the operation's summary) are the library's to fix.
THIRD_PARTY_MARKUP = {"/api/v1/docs"}


def widest_elements(page) -> str:
    """The innermost elements reaching past the viewport, to say what to fix."""
    culprits = page.evaluate(
        """(limit) => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > limit + 0.5)
            .filter(el => ![...el.children].some(child => child.getBoundingClientRect().right > limit + 0.5))
            .slice(0, 5)
            .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                 (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
                 ' (' + Math.round(el.getBoundingClientRect().right) + 'px)')""",
        PHONE_WIDTH,
    )
    return (" — " + ", ".join(culprits)) if culprits else ""


class AuditedBrowser:
    """The session's Chromium, with every new context watched by the test's ``PhoneAudit``."""

    def __init__(self, chromium, audit: PhoneAudit):
        self._chromium = chromium
        self._audit = audit

    def new_context(self, **options):
        context = self._chromium.new_context(**options)
        self._audit.watch(context, options)
        return context

    def __getattr__(self, name):
        return getattr(self._chromium, name)


@pytest.fixture
def browser(chromium_browser, live_server):
    audit = PhoneAudit(chromium_browser, live_server.url)
    yield AuditedBrowser(chromium_browser, audit)
    audit.check_all()
    if audit.failures:
        pytest.fail("pages that do not fit a phone:\n" + "\n".join(audit.failures), pytrace=False)


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def assert_accessible(page) -> None:
    """axe-core on the current page: no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]
    assert problems == [], "\n".join(problems)


def assert_fits_width(page) -> None:
    """Nothing on the page scrolls sideways."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the viewport"
