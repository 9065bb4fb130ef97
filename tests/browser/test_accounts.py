"""Account pages at 1280 px and 360 px: forgotten password, the account page, logout, lockout."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from renkei.core.models import Municipality, Organization, User
from tests.browser.conftest import assert_accessible, assert_fits_width
from tests.browser.login import log_in
from tests.conftest import PASSWORD, make_user
from tests.core.totp import confirmed_totp_device

pytestmark = pytest.mark.usefixtures("region_data")
VIEWPORTS = ["page", "phone_page"]
NEW_PASSWORD = "another-long-passphrase-7"


def _nurse(email: str = "") -> User:
    station = Organization.objects.create(
        name="テスト訪問看護ステーション",
        kind=Organization.Kind.VISITING_NURSE_STATION,
        municipality=Municipality.objects.get(code="022039"),
    )
    return make_user(
        "carol",
        station,
        User.Role.PROFESSIONAL,
        profession=User.Profession.NURSE,
        full_name="八戸 キャロル",
        email=email,
    )


def _check(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_fits_width(page)
    assert_accessible(page)


@pytest.mark.parametrize("fixture", VIEWPORTS)
def test_forgotten_password_is_reset_by_mail(live_server, fixture, request, settings):
    page = request.getfixturevalue(fixture)
    settings.SITE_URL = live_server.url
    carol = _nurse(email="carol@example.jp")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="パスワードをお忘れの方").click()
    page.get_by_role("heading", name="パスワードの再設定").wait_for()
    _check(page)
    page.get_by_label("メールアドレス").fill("carol@example.jp")
    page.get_by_role("button", name="再設定のメールを送る").click()
    page.get_by_role("heading", name="再設定のメールを送りました").wait_for()
    _check(page)

    link = re.search(r"http\S+/accounts/password-reset/\S+/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("heading", name="新しいパスワードの設定").wait_for()
    _check(page)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="パスワードを設定する").click()
    page.get_by_role("heading", name="パスワードを設定しました").wait_for()
    _check(page)
    carol.refresh_from_db()
    assert carol.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("fixture", VIEWPORTS)
def test_account_page_sets_the_email_and_logout_asks_first(live_server, fixture, request):
    page = request.getfixturevalue(fixture)
    carol = _nurse()
    log_in(page, live_server, "carol", PASSWORD, device=confirmed_totp_device(carol))

    page.goto(live_server.url + "/patients/notifications/")
    assert page.get_by_test_id("mail-address-warning").is_visible()
    _check(page)
    page.goto(live_server.url + "/patients/")
    assert page.get_by_test_id("mail-address-warning").is_visible()
    page.get_by_test_id("mail-address-warning").get_by_role("link", name="アカウント").click()

    page.get_by_role("heading", name="アカウント", exact=True).wait_for()
    facts = page.get_by_test_id("account-facts").inner_text()
    assert "テスト訪問看護ステーション" in facts and "看護師" in facts and "専門職・事業所職員" in facts
    _check(page)
    page.get_by_role("textbox", name="メールアドレス").fill("carol@example.jp")
    page.get_by_role("button", name="保存する").click()
    page.get_by_text("メールアドレスを保存しました。").wait_for()
    assert page.get_by_test_id("no-email-warning").count() == 0
    _check(page)

    page.get_by_role("link", name="パスワードの変更").click()
    page.get_by_role("heading", name="パスワードの変更").wait_for()
    _check(page)

    page.goto(live_server.url + "/patients/")
    assert page.get_by_test_id("mail-address-warning").count() == 0

    page.goto(live_server.url + "/accounts/logout/")
    page.get_by_role("heading", name="ログアウト").wait_for()
    _check(page)
    page.get_by_role("button", name="ログアウトする").click()
    page.get_by_text("ログアウトしました。").wait_for()
    page.goto(live_server.url + "/accounts/")
    page.get_by_role("heading", name="ログイン").wait_for()


@pytest.mark.parametrize("fixture", VIEWPORTS)
def test_lockout_page_links_back_to_login(live_server, fixture, request, settings):
    page = request.getfixturevalue(fixture)
    _nurse()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("ユーザー名").fill("carol")
        page.get_by_label("パスワード").fill("wrong-password")
        page.get_by_role("button", name="ログイン").click()
    page.get_by_role("heading", name="アカウントが一時的にロックされました").wait_for()
    _check(page)
    page.get_by_role("link", name="ログインページに戻る").click()
    page.get_by_role("heading", name="ログイン").wait_for()
