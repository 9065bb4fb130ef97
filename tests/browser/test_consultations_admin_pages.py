"""Region administrator and desk pages on a PC: categories, import errors, a case with follow-up."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from renkei.consultations.models import Consultation, ConsultationCategory
from renkei.core.models import Organization, User
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD, make_user
from tests.core.totp import confirmed_totp_device, totp_code

pytestmark = pytest.mark.usefixtures("region_data")


def log_in(page, base_url: str, username: str) -> None:
    """The real login page, then the code page: desk records are behind the second factor."""
    device = confirmed_totp_device(User.objects.get(username=username))
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("textbox", name="確認コード").fill(totp_code(device))
    page.get_by_role("button", name="確認する").click()
    page.get_by_role("heading", name="職員ページ").wait_for()


def test_region_admin_adds_and_retires_a_category(live_server, page, hachinohe):
    association = Organization.objects.create(
        name="テスト医師会", kind=Organization.Kind.MEDICAL_ASSOCIATION, municipality=hachinohe
    )
    make_user("alice", association, User.Role.REGION_ADMIN)
    log_in(page, live_server.url, "alice")
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="相談記録").click()
    page.get_by_role("link", name="相談内容区分の設定").click()
    expect(page.get_by_test_id("category-list").locator("li")).to_have_count(11)
    assert_accessible(page)

    page.get_by_label("区分名 必須").fill("難病")
    page.get_by_role("button", name="追加する").click()
    page.get_by_text("区分「難病」を追加しました。").wait_for()
    item = page.get_by_test_id("category-list").locator("li").filter(has=page.locator('input[value="難病"]'))
    item.get_by_role("button", name="使用を終了").click()
    page.get_by_text("区分「難病」の使用を終了しました").wait_for()
    assert_accessible(page)
    assert not ConsultationCategory.objects.get(name="難病").is_active


def test_desk_worker_sees_import_errors_by_line_and_follows_up_a_case(live_server, page, gonohe, tmp_path):
    desk = Organization.objects.create(
        name="五戸町地域包括支援センター",
        kind=Organization.Kind.COMMUNITY_SUPPORT_CENTER,
        municipality=gonohe,
    )
    make_user("dan", desk, User.Role.PROFESSIONAL)
    sheet = tmp_path / "old.csv"
    sheet.write_bytes(
        "受付日時,相談経路,相談者,対応,状況,次回対応予定日,相談内容区分\r\n"
        "2024/04/03,電話,家族,情報提供,継続,2024/04/10,認知症\r\n"
        "2024/04/04,FAX,家族,情報提供,,,認知症\r\n".encode("cp932")
    )
    log_in(page, live_server.url, "dan")
    page.goto(live_server.url + "/consultations/import/")
    assert_accessible(page)
    page.get_by_label("ファイル（CSV または Excel .xlsx）").set_input_files(str(sheet))
    page.get_by_role("button", name="取り込む").click()
    errors = page.get_by_test_id("import-errors")
    errors.wait_for()
    assert "3行目" in errors.inner_text()
    assert_accessible(page)
    page.get_by_label("誤りのある行を除き、正しい行だけを取り込む").check()
    page.get_by_label("ファイル（CSV または Excel .xlsx）").set_input_files(str(sheet))
    page.get_by_role("button", name="取り込む").click()
    page.get_by_text("1件の相談記録を取り込みました。").wait_for()

    page.goto(live_server.url + "/consultations/")
    page.get_by_test_id("consultation-table").get_by_role("link").first.click()
    page.get_by_role("heading", name="継続対応を記録").wait_for()
    assert_accessible(page)
    page.get_by_role("group", name="経路").get_by_label("訪問").check()
    page.get_by_role("group", name="対応 必須", exact=True).get_by_label("同行").check()
    page.get_by_role("group", name="対応後の状況").get_by_label("終結").check()
    page.get_by_role("button", name="継続対応を記録する").click()
    page.get_by_text("継続対応を記録しました。").wait_for()
    assert page.get_by_test_id("status").inner_text() == "終結"
    assert Consultation.objects.get().status == "closed"
