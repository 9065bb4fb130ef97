"""The start page after login at 1280 px and 360 px, for care staff and municipal staff."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from renkei.core.models import User
from tests.browser.conftest import assert_accessible, assert_fits_width
from tests.browser.login import log_in
from tests.core.totp import confirmed_totp_device

pytestmark = pytest.mark.usefixtures("region_data")


def _demo_password() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return next(line.split(": ", 1)[1] for line in out.getvalue().splitlines() if "パスワード" in line)


def _check(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_fits_width(page)
    assert_accessible(page)


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_start_page_fits_the_role(live_server, fixture, request):
    page = request.getfixturevalue(fixture)
    password = _demo_password()
    nurse = User.objects.get(username="demo-nurse")
    log_in(page, live_server, "demo-nurse", password, device=confirmed_totp_device(nurse))
    page.goto(live_server.url + "/staff/")
    panel = page.get_by_test_id("start-patients")
    panel.get_by_role("link", name="架空 梅子（デモ）").wait_for()
    assert page.get_by_test_id("municipality-table").count() == 0
    _check(page)

    page.goto(live_server.url + "/accounts/logout/")
    page.get_by_role("button", name="ログアウトする").click()
    page.get_by_text("ログアウトしました。").wait_for()

    log_in(page, live_server, "demo-municipal", password)
    page.get_by_role("heading", name="職員ページ").wait_for()
    assert page.get_by_test_id("start-pending-reviews").is_visible()
    assert page.get_by_test_id("start-overdue").is_visible()
    assert page.get_by_test_id("municipality-table").is_visible()
    _check(page)
    page.get_by_test_id("start-freshness").get_by_role("link", name="確認待ちの変更申請").click()
    page.wait_for_url("**/staff/directory/reviews/")
