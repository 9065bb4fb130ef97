"""The directory on a 360 px phone: one finger over the map scrolls the page (a tap lets it move the
map), the map never narrows the list without saying so and unticking the option restores the whole
list, the results come into view after 検索, and a 通いの場 shows no medical capabilities."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, assert_fits_width

pytestmark = pytest.mark.usefixtures("region_data")


def test_one_finger_scrolls_the_page_over_the_map_until_it_is_tapped(live_server, phone_page, directory):
    page = phone_page
    page.goto(live_server.url + "/facilities/")
    page.wait_for_selector("#facility-map[data-loaded='true']")
    map_el = page.locator("#facility-map")
    assert map_el.get_attribute("data-dragging") == "false"
    assert map_el.evaluate("el => getComputedStyle(el).touchAction") == "pan-x pan-y"
    assert "2本の指" in page.locator("#map-hint").inner_text()

    map_el.tap()

    page.wait_for_selector("#facility-map[data-dragging='true']")
    assert map_el.evaluate("el => getComputedStyle(el).touchAction") == "none"
    assert_fits_width(page)
    assert_accessible(page)


def test_the_map_says_when_it_narrows_the_list_and_unticking_restores_it(live_server, phone_page, directory):
    page = phone_page
    page.goto(live_server.url + "/facilities/?q=ステーション")
    page.wait_for_selector("#facility-map[data-loaded='true']")
    assert page.get_by_test_id("bbox-notice").count() == 0
    page.evaluate("document.getElementById('facility-map').renkeiMap.setView([40.5325, 141.529], 16)")
    page.wait_for_selector("[data-testid=result-count][data-count='1']")
    assert page.get_by_test_id("bbox-notice").inner_text() == "地図の表示範囲で絞り込み中（解除）"
    assert_accessible(page)

    # Reloaded, the narrowed list still says why it is narrowed.
    page.reload()
    page.wait_for_selector("[data-testid=result-count][data-count='1']")
    assert page.get_by_test_id("bbox-notice").is_visible()

    page.get_by_label("地図を動かしたら表示範囲で一覧を絞り込む").uncheck()

    page.wait_for_selector("[data-testid=result-count][data-count='3']")
    page.wait_for_selector("#facility-map[data-marker-count='3']")
    assert page.get_by_test_id("bbox-notice").count() == 0
    assert "bbox=" not in page.url
    page.reload()
    page.wait_for_selector("[data-testid=result-count][data-count='3']")


def test_the_notice_clears_the_narrowing_too(live_server, phone_page, directory):
    page = phone_page
    page.goto(live_server.url + "/facilities/?q=ステーション")
    page.wait_for_selector("#facility-map[data-loaded='true']")
    page.evaluate("document.getElementById('facility-map').renkeiMap.setView([40.5325, 141.529], 16)")
    page.wait_for_selector("[data-testid=result-count][data-count='1']")

    page.get_by_test_id("bbox-notice").get_by_role("link", name="解除").click()

    page.wait_for_selector("[data-testid=result-count][data-count='3']")
    assert "bbox=" not in page.url


def test_after_searching_the_results_are_in_view(live_server, phone_page, directory):
    page = phone_page
    page.goto(live_server.url + "/facilities/")
    page.get_by_label("キーワード").fill("ステーション")
    page.get_by_role("button", name="検索").click()
    page.wait_for_selector("#facility-map[data-loaded='true']")

    top = page.get_by_test_id("result-count").evaluate("el => el.getBoundingClientRect().top")
    assert -2 <= top < page.viewport_size["height"]


def test_a_gathering_place_shows_no_medical_capabilities(live_server, phone_page, directory):
    page = phone_page
    salon = directory["hashikami_salon"]
    salon.opening_hours = "毎週水曜 10時〜12時"
    salon.save()

    page.goto(live_server.url + f"/facilities/{salon.pk}/")
    page.get_by_role("heading", name="はしかみ いきいきサロン").wait_for()

    text = page.locator("main").inner_text()
    assert "在宅医療・介護への対応" not in text and "医療処置への対応" not in text
    assert "診療時間" not in text and "毎週水曜 10時〜12時" in text
    assert_fits_width(page)
    assert_accessible(page)
