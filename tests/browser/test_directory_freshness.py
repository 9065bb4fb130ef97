from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from renkei.freshness.models import FacilityContact
from renkei.freshness.services import links, updates
from tests.browser.conftest import assert_accessible
from tests.directory.search_fixtures import make_facility

pytestmark = pytest.mark.usefixtures("region_data")


def test_a_facility_opens_its_link_stops_accepting_and_search_shows_it_at_once(live_server, page):
    cache.clear()
    facility = make_facility(
        "ブラウザ訪問看護ステーション", "ぶらうざほうもんかんご", "visiting_nurse_station", "022039",
        acceptance_status="accepting",
    )  # fmt: skip
    contact = FacilityContact.objects.create(facility=facility, email="browser@example.invalid")
    link = links.issue_link(facility, contact.email)
    today = timezone.localdate()
    today_text = f"{today.year}年{today.month}月{today.day}日"

    page.goto(live_server.url + f"/facilities/update/{links.link_token(link)}/")
    page.get_by_role("heading", name="ブラウザ訪問看護ステーションの掲載情報の確認").wait_for()
    assert_accessible(page)
    page.get_by_label(re.compile("^受入状況")).select_option("not_accepting")
    page.get_by_label("受入に関する詳細").fill("年末まで新規の受入を停止しています")
    page.get_by_role("button", name="変更を送る").click()
    page.get_by_test_id("link-done").wait_for()
    assert "更新しました" in page.get_by_test_id("link-done").inner_text()
    assert_accessible(page)

    page.goto(live_server.url + "/facilities/?q=ブラウザ訪問看護")
    card = page.locator(".facility-card", has_text="ブラウザ訪問看護ステーション")
    card.wait_for()
    assert_accessible(page)
    assert "受入停止" in card.inner_text()
    assert re.search(f"最終確認日: {today_text}", card.inner_text())
    assert "要確認" not in card.inner_text()


def test_municipality_staff_review_a_change_from_the_dashboard(live_server, page):
    from renkei.core.models import Municipality, Organization, User
    from renkei.directory.models import Facility
    from tests.browser.login import log_in
    from tests.conftest import PASSWORD, make_user

    office = Organization.objects.create(
        name="ブラウザ五戸町役場", kind=Organization.Kind.MUNICIPAL_OFFICE,
        municipality=Municipality.objects.get(code="024422"),
    )  # fmt: skip
    make_user("eve", office, User.Role.MUNICIPALITY_STAFF)
    facility = make_facility("五戸ブラウザ診療所", "", "clinic", "024422")
    FacilityContact.objects.create(facility=facility, email="gonohe@example.invalid")
    link = links.issue_link(facility, "gonohe@example.invalid")
    updates.apply_link_edit(link, {"name": "五戸ブラウザ内科診療所"})

    log_in(page, live_server, "eve", PASSWORD)
    page.goto(live_server.url + "/staff/directory/freshness/")
    page.get_by_role("heading", name="情報の鮮度（定期的な情報更新）").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("変更申請の確認")).click()
    page.get_by_role("heading", name="変更申請の確認").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="五戸ブラウザ診療所").click()
    page.get_by_role("heading", name="変更申請: 五戸ブラウザ診療所").wait_for()
    assert_accessible(page)
    # A new name brings its ふりがな: the correction form asks for it (issue 11).
    page.get_by_label(re.compile("名称（ふりがな）")).fill("ごのへぶらうざないかしんりょうじょ")
    page.get_by_role("button", name="承認して公開").click()
    page.get_by_role("heading", name="変更申請の確認").wait_for()

    approved = Facility.objects.get(pk=facility.pk)
    assert (approved.name, approved.name_kana) == (
        "五戸ブラウザ内科診療所",
        "ごのへぶらうざないかしんりょうじょ",
    )
    page.goto(live_server.url + f"/staff/directory/facilities/{facility.pk}/history/")
    page.get_by_role("heading", name="五戸ブラウザ内科診療所の変更履歴").wait_for()
    assert_accessible(page)
