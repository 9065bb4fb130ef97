"""cron notices a failing mail server: ``renkei send-reminders`` exits non-zero when any mail failed."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.freshness.helpers import facility_with_contact


def test_the_command_fails_when_the_mail_server_is_down(db, settings):
    settings.EMAIL_BACKEND = "tests.freshness.helpers.FailingBackend"
    facility_with_contact(verified_at=datetime(2020, 1, 1, tzinfo=UTC))
    out = StringIO()

    with pytest.raises(CommandError, match="送れなかったメールがあります"):
        call_command("send_reminders", stdout=out)

    assert "送信失敗 1 件" in out.getvalue()
