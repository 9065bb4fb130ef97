from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from renkei.core.models import ApiToken
from renkei.core.tokens import issue_token, user_for_token
from tests.core.totp import confirmed_totp_device, verified_login

PAGE = "/accounts/api-tokens/"


def test_verified_nurse_issues_a_token_that_is_shown_once(client, carol):
    verified_login(client, carol)
    response = client.post(PAGE, {"name": "連携室の集計", "days": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = re.search(r'data-testid="new-token">(rk_[^<]+)<', response.content.decode()).group(1)
    assert user_for_token(text) == carol
    token = ApiToken.objects.get(user=carol)
    assert token.name == "連携室の集計"
    assert timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= timedelta(days=30)
    listing = client.get(PAGE).content.decode()
    assert "連携室の集計" in listing
    assert text not in listing


def test_bad_days_are_refused_in_japanese_and_nothing_is_issued(client, carol):
    verified_login(client, carol)
    response = client.post(PAGE, {"name": "集計", "days": "0"})
    assert response.status_code == 400
    assert "有効日数は1以上にしてください" in response.content.decode()
    response = client.post(PAGE, {"name": "", "days": "400"})
    assert response.status_code == 400
    assert "有効日数は365以下にしてください" in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_nurse_revokes_her_token(client, carol):
    token, text = issue_token(carol, "集計")
    verified_login(client, carol)
    response = client.post(f"{PAGE}{token.pk}/revoke/")
    assert response["Location"] == PAGE
    assert user_for_token(text) is None
    assert "失効" in client.get(PAGE).content.decode()


def test_nobody_can_revoke_or_see_someone_elses_token(client, carol, bob):
    token, text = issue_token(bob, "五戸町の集計")
    verified_login(client, carol)
    assert client.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    assert user_for_token(text) == bob
    assert "五戸町の集計" not in client.get(PAGE).content.decode()


def test_an_unverified_session_cannot_issue_a_token(client, carol):
    confirmed_totp_device(carol)
    client.force_login(carol)
    response = client.post(PAGE, {"name": "集計", "days": "30"})
    assert response.status_code == 302
    assert ApiToken.objects.count() == 0
