"""A resident finds their municipality's desk on the portal, on a phone, and enlarges the text (the
audit in conftest re-opens every page at 360 px and runs axe)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible
from tests.directory.search_fixtures import make_facility

pytestmark = pytest.mark.usefixtures("region_data")


def test_a_resident_finds_the_desk_and_enlarges_the_text(live_server, phone_page):
    make_facility(
        "南部町ブラウザ地域包括支援センター", "なんぶちょうぶらうざちいきほうかつ", "community_support_center", "024457",
        address="青森県三戸郡南部町大字苫米地1", phone="0178-84-0001", opening_hours="平日 8:30〜17:15",
    )  # fmt: skip
    phone_page.goto(f"{live_server.url}/portal/")
    assert_accessible(phone_page)
    phone_page.get_by_role("link", name="南部町").click()
    phone_page.get_by_role("heading", name="南部町の相談窓口").wait_for()
    assert phone_page.get_by_role("link", name="0178-84-0001").get_attribute("href") == "tel:0178-84-0001"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone_page)
    normal = phone_page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    phone_page.get_by_role("link", name="文字を大きく").click()
    phone_page.get_by_role("link", name="ふつうの文字").wait_for()
    large = phone_page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    assert large > normal * 1.2
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone_page)
