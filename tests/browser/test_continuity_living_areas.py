"""五戸町's staff set a 日常生活圏域 from the cover page, see the table follow, fix a wrong 町字 and delete
the 圏域 (each page also checked at 360 px with axe by the browser fixture)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from renkei.continuity.models import LivingArea
from renkei.core.models import Municipality, Organization, User
from tests.browser.conftest import assert_accessible
from tests.browser.login import log_in
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.usefixtures("region_data")


def test_staff_set_a_living_area_from_the_cover_page(live_server, page):
    gonohe = Municipality.objects.get(code="024422")
    office = Organization.objects.create(
        name="テスト五戸町役場", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=gonohe
    )
    make_user("gonohe-staff", office, User.Role.MUNICIPALITY_STAFF)
    log_in(page, live_server, "gonohe-staff", PASSWORD)
    page.goto(live_server.url + "/continuity/cover/")
    page.get_by_role("link", name="日常生活圏域を設定").click()
    page.get_by_role("heading", name="日常生活圏域の設定").wait_for()

    page.get_by_label("市町村").select_option(label="五戸町")
    page.get_by_label("日常生活圏域の名前").fill("五戸中央圏域")
    page.get_by_label("含まれる町字").fill("古堂\n湊町")
    page.get_by_role("button", name="追加する").click()
    expect(page.get_by_text("五戸町に無い町字です: 湊町")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("含まれる町字").fill("古堂\n豊間内")
    page.get_by_role("button", name="追加する").click()
    expect(page.get_by_text("日常生活圏域「五戸中央圏域」を登録しました。")).to_be_visible()
    expect(page.get_by_test_id("living-area-table").locator("tbody tr")).to_have_count(1)

    page.get_by_test_id("living-area-table").get_by_role("link", name=re.compile("五戸中央圏域")).click()
    page.get_by_label("日常生活圏域の名前").fill("五戸圏域")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("日常生活圏域「五戸圏域」を保存しました。")).to_be_visible()
    assert LivingArea.objects.get().towns == ["古堂", "豊間内"]

    page.goto(live_server.url + "/continuity/cover/")
    page.get_by_text("五戸町（日常生活圏域別）").click()
    expect(page.get_by_role("rowheader", name="五戸圏域")).to_be_visible()

    page.goto(live_server.url + "/continuity/cover/areas/")
    page.get_by_test_id("living-area-table").get_by_role("link", name=re.compile("五戸圏域")).click()
    page.get_by_role("button", name="削除する").click()
    expect(page.get_by_test_id("no-living-areas")).to_be_visible()
    assert not LivingArea.objects.exists()


def test_the_cover_page_opens_the_map_of_a_capability(live_server, page):
    from renkei.directory.models import Facility

    gonohe = Municipality.objects.get(code="024422")
    office = Organization.objects.create(
        name="テスト五戸町役場", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=gonohe
    )
    make_user("gonohe-staff", office, User.Role.MUNICIPALITY_STAFF)
    common = {"category": "clinic", "municipality": gonohe, "latitude": 40.53, "longitude": 141.31}
    Facility.objects.create(name="終夜クリニック", address="五戸町古堂1", round_the_clock=True, **common)
    Facility.objects.create(name="日中クリニック", address="五戸町古堂2", round_the_clock=False, **common)
    Facility.objects.create(name="未確認クリニック", address="五戸町古堂3", **common)
    log_in(page, live_server, "gonohe-staff", PASSWORD)
    page.goto(live_server.url + "/continuity/cover/")
    form = page.get_by_test_id("cover-map-form")
    form.get_by_label("対応項目").select_option(label="24時間対応")
    form.get_by_label("市町村").select_option(label="五戸町")
    form.get_by_role("button", name="地図で見る").click()
    page.wait_for_url(lambda url: "/facilities/" in url)
    expect(page.get_by_role("link", name="終夜クリニック")).to_be_visible()
    expect(page.get_by_role("link", name="日中クリニック")).to_have_count(0)
    expect(page.get_by_role("link", name="未確認クリニック")).to_have_count(0)
    expect(page.locator("#facility-map")).to_have_attribute("data-marker-count", "1")
