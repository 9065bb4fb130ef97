from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.core.management import call_command

from renkei.sharing import services
from renkei.sharing.models import NotificationPreference
from tests.core.totp import verified_login
from tests.sharing.conftest import add_member, give_consent, write_post

TOKYO = ZoneInfo("Asia/Tokyo")


def _team(cm, carol, patient):
    carol.email = "carol@example.invalid"
    carol.save()
    give_consent(patient, cm)
    add_member(patient, cm, carol)


def test_new_post_mail_says_only_that_there_is_a_post_with_a_link(
    cm, carol, patient, django_capture_on_commit_callbacks
):
    _team(cm, carol, patient)
    with django_capture_on_commit_callbacks(execute=True):
        write_post(patient, cm, "血糖値が高めです。", urgent=True)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["carol@example.invalid"]
    assert message.subject == "【Renkei】担当利用者のタイムラインに新しい投稿があります"
    assert "担当利用者のタイムラインに新しい投稿があります" in message.body
    assert f"/patients/{patient.pk}/" in message.body
    for personal in ("架空", "花子", "かくう", "血糖", "1938"):
        assert personal not in message.subject + message.body


def test_member_who_opted_out_gets_no_mail(client, cm, carol, patient, django_capture_on_commit_callbacks):
    _team(cm, carol, patient)
    verified_login(client, carol)
    client.post("/patients/notifications/", {"mode": "off"})
    with django_capture_on_commit_callbacks(execute=True):
        write_post(patient, cm, "連絡")
    assert mail.outbox == []


def test_daily_digest_is_sent_once_a_day_however_often_the_command_runs(
    client, cm, carol, patient, django_capture_on_commit_callbacks
):
    _team(cm, carol, patient)
    with time_machine.travel(datetime(2026, 11, 24, 9, 0, tzinfo=TOKYO)):
        verified_login(client, carol)
        client.post("/patients/notifications/", {"mode": "digest"})
        with django_capture_on_commit_callbacks(execute=True):
            write_post(patient, cm, "連絡1")
            write_post(patient, cm, "連絡2")
    assert mail.outbox == []  # digest readers get no per-post mail
    with time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=TOKYO)):
        call_command("send_sharing_digest", stdout=StringIO())
    assert mail.outbox == []  # same day: not due yet
    with time_machine.travel(datetime(2026, 11, 25, 7, 0, tzinfo=TOKYO)):
        out = StringIO()
        call_command("send_sharing_digest", stdout=out)
        call_command("send_sharing_digest", stdout=StringIO())
    assert out.getvalue().strip() == "まとめ通知を1通送信しました。"
    assert len(mail.outbox) == 1
    assert "新しい投稿が2件あります" in mail.outbox[0].body
    assert "架空" not in mail.outbox[0].body
    with time_machine.travel(datetime(2026, 11, 25, 8, 0, tzinfo=TOKYO)):
        write_post(patient, cm, "連絡3")
    with time_machine.travel(datetime(2026, 11, 26, 7, 0, tzinfo=TOKYO)):
        call_command("send_sharing_digest", stdout=StringIO())
    assert len(mail.outbox) == 2
    assert "新しい投稿が1件あります" in mail.outbox[1].body


def test_a_digest_window_claimed_by_another_run_is_not_sent_again(cm, carol, patient):
    _team(cm, carol, patient)
    with time_machine.travel(datetime(2026, 11, 24, 9, 0, tzinfo=TOKYO)):
        pref = services.preference(carol)
        pref.mode = NotificationPreference.Mode.DIGEST
        pref.save()
        write_post(patient, cm, "連絡")
    stale = NotificationPreference.objects.get(pk=pref.pk)
    with time_machine.travel(datetime(2026, 11, 25, 7, 0, tzinfo=TOKYO)):
        assert services.send_digests().sent == 1
        # A second run that read the row before the first run claimed it loses the conditional UPDATE.
        claimed = NotificationPreference.objects.filter(
            pk=stale.pk, covered_until=stale.covered_until
        ).update(covered_until=stale.covered_until + timedelta(hours=1))
    assert claimed == 0
    assert len(mail.outbox) == 1
