from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_fits_width

REGION_NAMES = ["八戸市", "おいらせ町", "三戸町", "五戸町", "田子町", "南部町", "階上町", "新郷村"]

pytestmark = pytest.mark.usefixtures("region_data")


def _demo_password() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return next(line.split(": ", 1)[1] for line in out.getvalue().splitlines() if "パスワード" in line)


def test_demo_admin_logs_in_and_sees_the_eight_municipalities(live_server, page):
    password = _demo_password()
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("heading", level=1).inner_text() == "八戸地域保健医療圏域"
    assert page.locator(".municipality-list__name").all_inner_texts() == REGION_NAMES
    header_colour = page.locator(".site-header").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert header_colour == "rgb(20, 57, 91)", "the stylesheet did not load"
    assert_accessible(page)

    page.get_by_role("link", name="ログイン").click()
    page.get_by_label("ユーザー名").fill("demo-admin")
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()

    page.get_by_role("heading", name="職員ページ").wait_for()
    table = page.get_by_test_id("municipality-table")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(8)
    assert [rows.nth(i).locator("td").nth(1).inner_text() for i in range(8)] == [
        "八戸市",
        "上北郡おいらせ町",
        "三戸郡三戸町",
        "三戸郡五戸町",
        "三戸郡田子町",
        "三戸郡南部町",
        "三戸郡階上町",
        "三戸郡新郷村",
    ]
    assert_accessible(page)

    page.get_by_role("button", name="ログアウト").click()
    page.get_by_role("link", name="ログイン").wait_for()


def test_wrong_password_shows_a_japanese_message(live_server, page):
    _demo_password()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("ユーザー名").fill("demo-admin")
    page.get_by_label("パスワード").fill("not-the-password")
    page.get_by_role("button", name="ログイン").click()
    assert "ユーザー名またはパスワードが正しくありません" in page.get_by_role("alert").inner_text()
    assert_accessible(page)


def test_home_page_fits_a_360px_phone(live_server, phone_page):
    phone_page.goto(live_server.url + "/")
    expect(phone_page.locator(".municipality-list__name")).to_have_count(8)
    assert_fits_width(phone_page)
    assert_accessible(phone_page)
