"""Log a person in through the real login page (and the code page when they use TOTP)."""

from __future__ import annotations

from tests.core.totp import totp_code


def log_in(page, live_server, username: str, password: str, device=None) -> None:
    """Fill the login form; with ``device`` (a TOTPDevice) also the code page.

    Afterwards the page shows where login leads (the staff home); go on with ``page.goto``.
    """
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    if device is not None:
        page.get_by_role("heading", name="確認コードの入力").wait_for()
        page.get_by_role("textbox", name="確認コード").fill(totp_code(device))
        page.get_by_role("button", name="確認する").click()
        page.wait_for_url(lambda url: "/accounts/2fa/verify/" not in url)
    else:
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
