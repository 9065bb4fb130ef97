"""Accounts: password reset by e-mail, password change, the account page, logout by GET, lockout page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import override_settings

from renkei.core import accounts
from renkei.core.models import User
from renkei.core.services import RuleError
from tests.conftest import PASSWORD
from tests.core.totp import verified_login

NEW_PASSWORD = "another-long-passphrase-7"


def _reset_link(message) -> str:
    return re.search(r"https?://\S+/accounts/password-reset/\S+/\S+/", message.body).group(0)


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_login_page_offers_password_reset(client, db):
    body = client.get("/accounts/login/").content.decode()
    assert "パスワードをお忘れの方" in body
    assert 'href="/accounts/password-reset/"' in body


@override_settings(SITE_URL="https://renkei.example.jp")
def test_password_reset_mails_a_link_that_sets_a_new_password(client, carol):
    carol.email = "carol@example.jp"
    carol.save()
    response = client.post("/accounts/password-reset/", {"email": "Carol@example.jp"}, HTTP_HOST="localhost")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["carol@example.jp"]
    assert message.subject == "【Renkei】パスワードの再設定"
    assert "八戸 キャロル 様" in message.body
    link = _reset_link(message)
    assert link.startswith("https://renkei.example.jp/"), "links follow SITE_URL, not the Host header"

    page = client.get(_path(link), follow=True)
    assert "新しいパスワードの設定" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/password-reset/done/"
    carol.refresh_from_db()
    assert carol.check_password(NEW_PASSWORD)
    assert "パスワードを設定しました" in client.get(done["Location"]).content.decode()
    # The link works once.
    again = client.get(_path(link), follow=True).content.decode()
    assert "このリンクは使えません" in again


def test_password_reset_does_not_say_whether_an_address_is_registered(client, carol):
    carol.email = "carol@example.jp"
    carol.save()
    known = client.post("/accounts/password-reset/", {"email": "carol@example.jp"})
    unknown = client.post("/accounts/password-reset/", {"email": "nobody@example.jp"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    page = client.get(unknown["Location"]).content.decode()
    assert "登録されていれば" in page


def test_password_reset_is_rate_limited_per_address_and_per_client(client, carol, settings):
    carol.email = "carol@example.jp"
    carol.save()
    for _ in range(settings.PASSWORD_RESET_PER_ADDRESS + 2):
        response = client.post("/accounts/password-reset/", {"email": "carol@example.jp"})
        assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == settings.PASSWORD_RESET_PER_ADDRESS

    mail.outbox.clear()
    for number in range(settings.PASSWORD_RESET_PER_CLIENT):
        client.post("/accounts/password-reset/", {"email": f"other{number}@example.jp"})
    other = User.objects.create_user("dave", email="dave@example.jp", password=PASSWORD)
    client.post("/accounts/password-reset/", {"email": other.email})
    assert mail.outbox == [], "one client asking for many addresses is stopped too"
    # Another client may still ask for dave.
    client.post("/accounts/password-reset/", {"email": other.email}, REMOTE_ADDR="192.0.2.7")
    assert len(mail.outbox) == 1


def test_a_completed_reset_ends_a_lockout(client, carol, settings):
    carol.email = "carol@example.jp"
    carol.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "carol", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "carol", "password": PASSWORD})
    assert "アカウントが一時的にロックされました" in locked.content.decode()
    assert 'href="/accounts/login/"' in locked.content.decode()

    client.post("/accounts/password-reset/", {"email": "carol@example.jp"})
    link = _reset_link(mail.outbox[0])
    page = client.get(_path(link), follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.post("/accounts/login/", {"username": "carol", "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_password_change_needs_the_old_password(client, carol):
    client.force_login(carol)
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/accounts/password/done/"
    carol.refresh_from_db()
    assert carol.check_password(NEW_PASSWORD)
    assert "パスワードを変更しました" in client.get("/accounts/password/done/").content.decode()


def test_account_page_needs_the_second_factor(client, carol):
    assert client.get("/accounts/")["Location"].startswith("/accounts/login/")
    client.force_login(carol)
    assert client.get("/accounts/")["Location"].startswith("/accounts/2fa/setup/")


def test_account_page_shows_who_one_is_and_sets_the_email(client, carol):
    verified_login(client, carol)
    page = client.get("/accounts/")
    body = page.content.decode()
    assert "no-store" in page["Cache-Control"]
    for text in [
        "テスト訪問看護ステーション",
        "専門職・事業所職員",
        "看護師",
        "メールアドレスが登録されていません",
    ]:
        assert text in body
    bad = client.post("/accounts/", {"email": "not-an-address"})
    assert bad.status_code == 400
    assert "メールアドレスの形式が正しくありません" in bad.content.decode()
    saved = client.post("/accounts/", {"email": "carol@EXAMPLE.jp"}, follow=True)
    assert "メールアドレスを保存しました" in saved.content.decode()
    carol.refresh_from_db()
    assert carol.email == "carol@example.jp"


def test_set_own_email_refuses_a_bad_address(carol):
    with pytest.raises(RuleError) as caught:
        accounts.set_own_email(carol, "carol@")
    assert caught.value.field == "email"


def test_header_links_to_the_account_page(client, carol):
    client.force_login(carol)
    assert 'href="/accounts/"' in client.get("/accounts/2fa/").content.decode()


def test_logout_by_get_asks_for_confirmation_and_post_logs_out(client, carol):
    client.force_login(carol)
    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "ログアウトしますか" in body
    assert 'method="post" action="/accounts/logout/"' in body
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/", follow=True)
    assert "_auth_user_id" not in client.session
    assert "ログアウトしました" in response.content.decode()


def test_mail_warning_on_notifications_page_and_patient_list(client, carol):
    verified_login(client, carol)
    warning = "メールアドレスが登録されていないため通知は届きません"
    assert warning in client.get("/patients/").content.decode()
    assert warning in client.get("/patients/notifications/").content.decode()
    client.post("/patients/notifications/", {"mode": "off"})
    assert warning not in client.get("/patients/").content.decode()
    client.post("/patients/notifications/", {"mode": "immediate"})
    carol.email = "carol@example.jp"
    carol.save()
    assert warning not in client.get("/patients/notifications/").content.decode()
