from __future__ import annotations

import pytest

from renkei.core.models import Municipality, Organization, User
from renkei.directory.models import Facility
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD, make_user
from tests.directory.conftest import KAIGO_SAMPLE

pytestmark = pytest.mark.usefixtures("region_data")


def _log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("heading", name="職員ページ").wait_for()


def test_region_admin_uploads_checks_and_confirms_the_kaigo_open_data(live_server, page):
    association = Organization.objects.create(
        name="ブラウザ医師会",
        kind=Organization.Kind.MEDICAL_ASSOCIATION,
        municipality=Municipality.objects.get(code="022039"),
    )
    make_user("dora", association, User.Role.REGION_ADMIN)
    _log_in(page, live_server, "dora")

    # The menu's entry (the start page links to each area too).
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="施設データの取込").click()
    page.get_by_role("heading", name="施設データの取込").wait_for()
    assert_accessible(page)
    page.get_by_label("ファイルの形式").select_option("kaigo")
    page.locator("input[name=files]").set_input_files(str(KAIGO_SAMPLE))
    page.get_by_role("button", name="確認する（まだ取り込みません）").click()

    page.get_by_role("heading", name="取込の確認").wait_for()
    assert page.get_by_test_id("count-added").inner_text() == "300"
    assert page.get_by_test_id("count-unchanged").inner_text() == "0"
    assert Facility.objects.count() == 0
    assert_accessible(page)

    page.get_by_role("button", name="取り込む").click()
    page.get_by_role("heading", name="取込の結果").wait_for()
    assert "取り込みました" in page.get_by_role("status").first.inner_text()
    assert page.get_by_test_id("count-added").inner_text() == "300"
    assert Facility.objects.count() == 300
    assert_accessible(page)


def test_a_wrong_file_shows_the_reason_and_no_confirm_button(live_server, page):
    office = Organization.objects.create(
        name="五戸町役場 ブラウザ課",
        kind=Organization.Kind.MUNICIPAL_OFFICE,
        municipality=Municipality.objects.get(code="024422"),
    )
    make_user("emi", office, User.Role.MUNICIPALITY_STAFF)
    _log_in(page, live_server, "emi")
    page.goto(live_server.url + "/staff/directory/import/")
    page.get_by_label("ファイルの形式").select_option("iryo")
    page.locator("input[name=files]").set_input_files(str(KAIGO_SAMPLE))
    page.get_by_role("button", name="確認する（まだ取り込みません）").click()

    alert = page.get_by_role("alert").first
    assert "介護サービス情報公表システムのファイルです" in alert.inner_text()
    assert page.get_by_role("button", name="取り込む").count() == 0
    assert_accessible(page)
