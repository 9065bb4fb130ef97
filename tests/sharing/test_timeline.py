from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from renkei.sharing.models import Post
from tests.core.totp import verified_login
from tests.sharing.conftest import add_member, give_consent, write_post


def test_member_posts_an_urgent_message_with_category(client, cm, carol, patient):
    give_consent(patient, cm)
    add_member(patient, cm, carol)
    verified_login(client, carol)
    response = client.post(
        f"/patients/{patient.pk}/posts/",
        {"category": "condition_change", "urgent": "on", "body": "発熱 38.2℃"},
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.category, post.urgent, post.author) == ("condition_change", True, carol)
    page = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "状態変化" in page and "至急" in page


def test_replies_thread_under_their_post(client, cm, carol, patient):
    give_consent(patient, cm)
    add_member(patient, cm, carol)
    post = write_post(patient, cm, "明日の訪問時間を教えてください。")
    verified_login(client, carol)
    client.post(f"/patients/{patient.pk}/posts/{post.pk}/reply/", {"body": "14時に伺います。"})
    reply = Post.objects.get(parent=post)
    assert reply.category == post.category
    page = client.get(f"/patients/{patient.pk}/").content.decode()
    assert page.index("明日の訪問時間を教えてください。") < page.index("14時に伺います。")


def test_read_receipt_counts_members_who_opened_the_timeline(client, cm, carol, bob, patient):
    give_consent(patient, cm)
    add_member(patient, cm, carol)
    add_member(patient, cm, bob, "municipality")
    write_post(patient, cm, "担当者会議の日程です。")
    verified_login(client, cm)
    assert "既読 0/2" in client.get(f"/patients/{patient.pk}/").content.decode()
    verified_login(client, carol)
    client.get(f"/patients/{patient.pk}/")
    verified_login(client, cm)
    page = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "既読 1/2" in page
    assert "八戸 キャロル" in page


def test_home_lists_patients_with_unread_urgent_first(client, cm, carol):
    from tests.sharing.conftest import register

    quiet = register(cm, full_name="架空 一", full_name_kana="かくう はじめ")
    urgent = register(cm, full_name="架空 二", full_name_kana="かくう ふたば")
    busy = register(cm, full_name="架空 三", full_name_kana="かくう みつ")
    start = timezone.now()
    for patient in (quiet, urgent, busy):
        give_consent(patient, cm)
        add_member(patient, cm, carol)
    with time_machine.travel(start + timedelta(minutes=1)):
        write_post(quiet, carol, "定期連絡")
    with time_machine.travel(start + timedelta(minutes=2)):
        write_post(urgent, carol, "転倒しました", urgent=True)
    with time_machine.travel(start + timedelta(minutes=3)):
        write_post(busy, carol, "連絡1")
        write_post(busy, carol, "連絡2")
    verified_login(client, cm)
    client.get(f"/patients/{quiet.pk}/")  # read
    page = client.get("/patients/").content.decode()
    order = [page.index(name) for name in ("架空 二", "架空 三", "架空 一")]
    assert order == sorted(order)
    assert "至急 1" in page and "未読 2" in page


def test_timeline_pages_hold_twenty_posts(client, cm, patient):
    start = timezone.now()
    for number in range(25):
        with time_machine.travel(start + timedelta(minutes=number)):
            write_post(patient, cm, f"投稿{number:02d}番")
    verified_login(client, cm)
    first = client.get(f"/patients/{patient.pk}/").content.decode()
    assert "投稿24番" in first and "投稿05番" in first and "投稿04番" not in first
    second = client.get(f"/patients/{patient.pk}/", {"page": 2}).content.decode()
    assert "投稿04番" in second and "投稿05番" not in second
