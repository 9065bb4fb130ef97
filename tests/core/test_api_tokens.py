from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from renkei.core.models import ApiToken
from renkei.core.tokens import issue_token, user_for_token


def test_a_fresh_token_identifies_its_user_and_only_a_hash_is_stored(carol):
    token, text = issue_token(carol, "集計")
    assert user_for_token(text) == carol
    assert text.split("_", 2)[2] not in ApiToken.objects.get(pk=token.pk).key_hash


def test_tampered_revoked_expired_and_deactivated_tokens_identify_nobody(carol):
    _, text = issue_token(carol, "集計", expires_at=timezone.now() + timedelta(days=1))
    assert user_for_token(text[:-1] + ("A" if text[-1] != "A" else "B")) is None
    assert user_for_token("not-a-token") is None
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert user_for_token(text) is None
    assert user_for_token(text) == carol
    carol.is_active = False
    carol.save()
    assert user_for_token(text) is None


def test_operator_issues_and_revokes_a_token_with_the_command(carol):
    out = StringIO()
    call_command("api_token", "create", "carol", "--name", "連携室スクリプト", stdout=out)
    text = out.getvalue().strip()
    assert user_for_token(text) == carol
    call_command("api_token", "revoke", text.split("_")[1], stdout=StringIO())
    assert user_for_token(text) is None
    with pytest.raises(CommandError, match="見つかりません"):
        call_command("api_token", "revoke", text.split("_")[1])


@pytest.mark.django_db
def test_openapi_schema_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Renkei API"
