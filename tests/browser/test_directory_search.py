from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_fits_width

pytestmark = pytest.mark.usefixtures("region_data")


def test_care_manager_finds_a_24_hour_nursing_station_in_hachinohe_on_list_and_map(
    live_server, page, directory
):
    page.goto(live_server.url + "/facilities/")
    page.get_by_label("キーワード").fill("訪問看護 24時間")
    page.get_by_label("市町村").select_option(label="八戸市")
    page.get_by_role("button", name="検索").click()

    page.wait_for_selector("#facility-map[data-loaded='true']")
    count = page.get_by_test_id("result-count")
    assert count.get_attribute("data-count") == "1"
    cards = page.locator(".facility-card")
    assert cards.all_inner_texts()[0].startswith("みなと訪問看護ステーション")
    located_cards = page.locator(".facility-card[data-has-location='true']").count()
    assert page.locator("#facility-map").get_attribute("data-marker-count") == str(located_cards) == "1"
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    assert_accessible(page)

    page.get_by_role("link", name="みなと訪問看護ステーション").click()
    page.get_by_role("heading", name="みなと訪問看護ステーション").wait_for()
    assert page.get_by_test_id("verified-at").inner_text() == "最終確認日: 2026年10月1日"
    page.wait_for_selector("#facility-map[data-loaded='true']")
    assert_accessible(page)


def test_moving_the_map_narrows_the_list_to_what_is_visible(live_server, page, directory):
    page.goto(live_server.url + "/facilities/?q=ステーション")
    page.wait_for_selector("#facility-map[data-loaded='true']")
    assert page.get_by_test_id("result-count").get_attribute("data-count") == "3"
    # Three stations in three towns: three markers, one per card that has a location.
    located_cards = page.locator(".facility-card[data-has-location='true']").count()
    assert page.locator("#facility-map").get_attribute("data-marker-count") == str(located_cards) == "3"
    # The user zooms right into 湊町: only みなと訪問看護ステーション stays in view.
    page.evaluate("document.getElementById('facility-map').renkeiMap.setView([40.5325, 141.529], 16)")
    page.wait_for_selector("[data-testid=result-count][data-count='1']")
    assert page.locator(".facility-card").all_inner_texts()[0].startswith("みなと訪問看護ステーション")
    page.wait_for_selector("#facility-map[data-marker-count='1']")
    assert "bbox=" in page.url


def test_search_page_works_without_javascript_and_fits_a_phone(live_server, browser, directory):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="ja-JP"
    )
    page = context.new_page()
    page.goto(live_server.url + "/facilities/?q=ほうもんかんご")
    assert page.get_by_test_id("result-count").get_attribute("data-count") == "3"
    assert_fits_width(page)
    context.close()


def test_search_page_with_its_map_fits_a_360px_phone(live_server, phone_page, directory):
    phone_page.goto(live_server.url + "/facilities/?q=ステーション")
    phone_page.wait_for_selector("#facility-map[data-loaded='true']")
    assert phone_page.locator("#facility-map").get_attribute("data-marker-count") == "3"
    assert_fits_width(phone_page)
    assert_accessible(phone_page)
