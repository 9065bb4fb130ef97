"""八戸市 staff write a cell of their 認知症ケアパス, add a desk found by name, publish it and print it;
a resident then reads it on a phone, stage by stage (the audit in conftest re-opens every page at
360 px and runs axe)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from renkei.core.models import Municipality, Organization, User
from tests.browser.conftest import assert_accessible
from tests.browser.login import log_in
from tests.conftest import PASSWORD, make_user
from tests.directory.search_fixtures import make_facility

pytestmark = pytest.mark.usefixtures("region_data")

TEXT = "もの忘れが気になったら、まず地域包括支援センターへ。相談は無料です。"


@pytest.fixture
def hana(region_data) -> User:
    office = Organization.objects.create(
        name="八戸市役所 高齢福祉課（ケアパス）",
        kind=Organization.Kind.MUNICIPAL_OFFICE,
        municipality=Municipality.objects.get(code="022039"),
    )
    return make_user("hana-carepath", office, User.Role.MUNICIPALITY_STAFF)


@pytest.fixture
def desk(region_data):
    return make_facility(
        "八戸市中央地域包括支援センター", "はちのへしちゅうおうちいきほうかつしえんせんたー",
        "community_support_center", "022039", address="青森県八戸市内丸1-1-1", phone="0178-43-9999",
        verified_at=datetime(2026, 11, 2, tzinfo=UTC),
    )  # fmt: skip


def test_staff_write_a_cell_add_a_desk_publish_and_a_resident_reads_it_on_a_phone(
    live_server, browser, page, phone_page, hana, desk
):
    log_in(page, live_server, "hana-carepath", PASSWORD)
    page.goto(f"{live_server.url}/staff/outreach/care-path/")
    expect(page.get_by_role("heading", name="認知症ケアパス（八戸市）")).to_be_visible()
    expect(page.get_by_test_id("care-path-status")).to_contain_text("下書き")
    page.get_by_role("link", name="書く （気づき・相談）").click()
    page.get_by_label("説明").fill(TEXT)
    page.get_by_label("資源の名前").fill("中央地域包括")
    page.get_by_role("button", name="検索").click()
    expect(page.get_by_label("説明")).to_have_value(TEXT)  # the search kept what was typed
    expect(page.get_by_label("資源の名前")).to_have_value("中央地域包括")
    page.get_by_label("八戸市中央地域包括支援センターを追加する").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_have_text("保存しました。")
    cell = page.locator("#cell-awareness-consultation")
    expect(cell).to_contain_text(TEXT)
    expect(cell).to_contain_text("八戸市中央地域包括支援センター")
    page.get_by_role("button", name="公開する").click()
    expect(page.get_by_test_id("care-path-status")).to_contain_text("公開中")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDFを印刷").click()
    assert download.value.suggested_filename == "dementia-care-path-022039.pdf"

    phone_page.goto(f"{live_server.url}/portal/022039/")
    phone_page.get_by_role("link", name="八戸市 認知症ケアパス").click()
    expect(phone_page.get_by_role("heading", name="八戸市 認知症ケアパス", level=1)).to_be_visible()
    expect(phone_page.get_by_role("heading", level=2)).to_have_count(5)
    awareness = phone_page.get_by_role("region", name="気づき")
    expect(awareness.get_by_role("heading", name="相談", level=3)).to_be_visible()
    expect(awareness).to_contain_text(TEXT)
    expect(awareness.get_by_role("link", name="0178-43-9999")).to_have_attribute("href", "tel:0178-43-9999")
    expect(awareness).to_contain_text("2026年11月2日")
    # On a phone the stages come one under the other, and nothing scrolls sideways.
    first, second = (
        phone_page.get_by_role("heading", name=name, level=2).bounding_box() for name in ("気づき", "初期")
    )
    assert first and second and second["y"] > first["y"] + 50
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone_page)
    phone_page.get_by_role("link", name="文字を大きく").click()
    expect(phone_page.get_by_role("link", name="ふつうの文字")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone_page)

    # On a wide screen the five stages stand side by side.
    page.goto(f"{live_server.url}/portal/022039/care-path/")
    first, second = (
        page.get_by_role("heading", name=name, level=2).bounding_box() for name in ("気づき", "初期")
    )
    assert first and second and first["y"] == second["y"] and second["x"] > first["x"]
    assert_accessible(page)


def test_the_cell_editor_searches_without_javascript(live_server, browser, hana, desk):
    context = browser.new_context(
        locale="ja-JP", java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    log_in(page, live_server, "hana-carepath", PASSWORD)
    page.goto(f"{live_server.url}/staff/outreach/care-path/022039/early/consultation/")
    page.get_by_label("説明").fill("初期集中支援チームが訪ねます")
    page.get_by_label("資源の名前").fill("中央地域包括")
    page.get_by_label("資源の名前").press("Enter")  # Enter in the search box searches; it does not save
    expect(page.get_by_label("八戸市中央地域包括支援センターを追加する")).to_be_visible()
    expect(page.get_by_label("説明")).to_have_value("初期集中支援チームが訪ねます")
    page.get_by_label("八戸市中央地域包括支援センターを追加する").check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#cell-early-consultation")).to_contain_text("八戸市中央地域包括支援センター")
    context.close()
