"""The survey in a browser: staff edit and submit their row, the administrator confirms and exports."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from renkei.core.models import Municipality, Organization, User
from renkei.reports.models import ActivityEntry
from renkei.reports.services import entries
from tests.browser.conftest import assert_accessible
from tests.browser.login import log_in
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.usefixtures("region_data")


def _people(region) -> tuple[User, User]:
    gonohe = Municipality.objects.get(code="024422")
    office = Organization.objects.create(
        name="五戸町役場 テスト課", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=gonohe
    )
    association = Organization.objects.create(
        name="テスト医師会",
        kind=Organization.Kind.MEDICAL_ASSOCIATION,
        municipality=Municipality.objects.get(code="022039"),
    )
    staff = make_user("bob", office, User.Role.MUNICIPALITY_STAFF, full_name="五戸 ボブ")
    admin = make_user("alice", association, User.Role.REGION_ADMIN, full_name="青森 アリス")
    return staff, admin


def test_edit_submit_review_export(live_server, browser, region_data):
    staff, admin = _people(region_data)
    report_round = entries.open_round(admin, region_data, date(2024, 12, 31))
    options = {"locale": "ja-JP", "timezone_id": "Asia/Tokyo", "viewport": {"width": 1280, "height": 900}}

    context = browser.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, staff.username, PASSWORD)
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="取組状況調査").click()
    page.get_by_role("link", name="Ｒ6.12.末日時点").click()
    page.get_by_role("link", name=re.compile("編集.*五戸町")).click()
    page.get_by_label("具体的内容").fill("・R6年度版サービスマップを改訂し配布した。")
    page.get_by_label("課題", exact=True).fill("・定期的な情報更新")
    page.get_by_label("看取り").check()
    page.get_by_role("button", name="保存して提出").click()
    page.get_by_text("提出しました。").wait_for()
    assert page.get_by_test_id("entry-status").inner_text() == "提出"
    assert_accessible(page)
    context.close()

    context = browser.new_context(**options, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, admin.username, PASSWORD)
    page.goto(f"{live_server.url}/reports/{report_round.pk}/")
    page.get_by_role("link", name=re.compile("確認.*五戸町")).click()
    page.get_by_role("button", name="確認済みにする").click()
    page.get_by_text("確認済みにしました。").wait_for()
    page.get_by_role("link", name="表へ戻る").click()
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))["旧ア"]
    assert (sheet["A6"].value, sheet["B6"].value, sheet["C6"].value) == (
        "五戸町",
        "・R6年度版サービスマップを改訂し配布した。",
        "・定期的な情報更新",
    )
    context.close()
    entry = ActivityEntry.objects.get(round=report_round, municipality__code="024422", item="a")
    assert (entry.status, entry.scenes) == ("confirmed", ["end_of_life"])
