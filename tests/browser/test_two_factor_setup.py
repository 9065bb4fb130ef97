from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from renkei.core.models import Municipality, Organization, User
from tests.browser.conftest import assert_accessible, assert_fits_width
from tests.browser.login import log_in
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.usefixtures("region_data")


def _nurse() -> User:
    station = Organization.objects.create(
        name="テスト訪問看護ステーション",
        kind=Organization.Kind.VISITING_NURSE_STATION,
        municipality=Municipality.objects.get(code="022039"),
    )
    return make_user("carol", station, User.Role.PROFESSIONAL, profession=User.Profession.NURSE)


def _app_code(secret_text: str) -> str:
    """What an authenticator app shows after the person typed the secret by hand."""
    from base64 import b32decode

    key = b32decode(secret_text.replace(" ", ""))
    return f"{totp(key):06d}"


def test_nurse_sets_up_totp_from_the_typed_secret_and_opens_her_api_tokens(live_server, page):
    carol = _nurse()
    log_in(page, live_server, "carol", PASSWORD)

    page.goto(live_server.url + "/accounts/api-tokens/")
    page.get_by_role("heading", name="2段階認証の設定").wait_for()
    assert page.get_by_role("img", name="認証アプリで読み取るQRコード").is_visible()
    assert_accessible(page)
    secret = page.get_by_test_id("totp-secret").inner_text()

    page.get_by_label("確認コード（6桁）").fill(_app_code(secret))
    page.get_by_role("button", name="設定する").click()
    page.get_by_role("heading", name="バックアップコード").wait_for()
    expect(page.get_by_test_id("backup-codes").locator("li")).to_have_count(10)
    assert_accessible(page)

    page.get_by_role("link", name="控えたので続ける").click()
    page.get_by_role("heading", name="APIトークン", exact=True).wait_for()
    assert TOTPDevice.objects.get(user=carol).confirmed
    page.get_by_label("用途").fill("連携室の集計")
    page.get_by_label("有効日数").fill("30")
    page.get_by_role("button", name="発行する").click()
    token = page.get_by_test_id("new-token").inner_text()
    assert token.startswith("rk_")
    assert page.get_by_test_id("token-table").locator("tbody tr").count() == 1
    assert_accessible(page)

    # Next time she logs in, the code page comes right after the password.
    page.get_by_role("button", name="ログアウト").click()
    log_in(page, live_server, "carol", PASSWORD, device=TOTPDevice.objects.get(user=carol))
    page.goto(live_server.url + "/accounts/api-tokens/")
    page.get_by_role("heading", name="APIトークン", exact=True).wait_for()
    assert_accessible(page)


def test_the_code_page_with_a_wrong_code_fits_a_360px_phone(live_server, phone_page):
    carol = _nurse()
    device = TOTPDevice.objects.create(user=carol, name="Renkei", confirmed=True)
    phone_page.goto(live_server.url + "/accounts/login/")
    phone_page.get_by_label("ユーザー名").fill("carol")
    phone_page.get_by_label("パスワード").fill(PASSWORD)
    phone_page.get_by_role("button", name="ログイン").click()
    phone_page.get_by_role("heading", name="確認コードの入力").wait_for()
    phone_page.get_by_role("textbox", name="確認コード").fill("12345")
    phone_page.get_by_role("button", name="確認する").click()
    assert "6桁の数字" in phone_page.get_by_role("alert").inner_text()
    assert_fits_width(phone_page)
    assert_accessible(phone_page)
    device.delete()
    phone_page.goto(live_server.url + "/accounts/2fa/setup/")
    phone_page.get_by_role("img", name="認証アプリで読み取るQRコード").wait_for()
    assert_fits_width(phone_page)
    assert_accessible(phone_page)
