"""出前講座 requests: a residents' group asks from the portal (no account), staff accept or decline,
the requester is mailed each time; spam is kept out; the personal data stays on staff pages."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from renkei.core import permissions
from renkei.core.audit import AccessLog
from renkei.meetings.models import Event
from renkei.outreach.models import LectureRequest, LectureTopic
from renkei.outreach.services import requests
from tests.core.totp import verified_login

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def topic(gonohe) -> LectureTopic:
    return LectureTopic.objects.create(municipality=gonohe, title="人生会議を知ろう")


def future(days: int) -> str:
    return (datetime.now(TOKYO).date() + timedelta(days=days)).isoformat()


def form_data(chosen, **changes) -> dict:
    shown = requests.form_stamp(datetime.now(TOKYO) - timedelta(seconds=30))
    data = {
        "topic": chosen.pk, "group_kind": "salon", "group_name": "ひまわりサロン",
        "preferred_date_1": future(20), "preferred_date_2": future(27), "preferred_date_3": "",
        "preferred_time": "午後", "place": "五戸町 中央公民館", "expected_number": "15",
        "contact_name": "五戸 花子", "phone": "０１７８－６２－１２３４", "email": "hanako@example.jp",
        "message": "", "website": "", "shown": shown,
    }  # fmt: skip
    return data | changes


def send(client, chosen, **changes):
    return client.post(
        "/portal/024422/lecture-request/", form_data(chosen, **changes), REMOTE_ADDR="203.0.113.7"
    )


def test_a_group_requests_a_lecture_without_an_account_and_gets_a_confirmation(client, topic):
    form = client.get("/portal/024422/lecture-request/")
    assert form.status_code == 200
    assert "no-store" in form["Cache-Control"]
    assert "人生会議を知ろう" in form.content.decode()
    response = send(client, topic)
    assert response.status_code == 302
    assert response["Location"] == "/portal/024422/lecture-request/sent/"
    request = LectureRequest.objects.get()
    assert request.phone == "0178-62-1234"
    assert request.preferred_dates == [future(20), future(27)]
    assert request.status == "new"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hanako@example.jp"]
    assert mail.outbox[0].subject == "【五戸町】出前講座のお申込みを受け付けました"
    assert "五戸 花子 様" in mail.outbox[0].body and "人生会議を知ろう" in mail.outbox[0].body


def test_the_filled_honeypot_is_answered_as_success_but_nothing_is_kept(client, topic):
    response = send(client, topic, website="http://spam.example/")
    assert response.status_code == 302
    assert not LectureRequest.objects.exists()
    assert mail.outbox == []


def test_a_form_sent_within_seconds_or_with_an_altered_stamp_is_refused(client, topic):
    too_fast = send(client, topic, shown=requests.form_stamp())
    assert too_fast.status_code == 400
    assert "送信が早すぎます" in too_fast.content.decode()
    altered = send(client, topic, shown="1700000000:forged")
    assert altered.status_code == 400
    stale = send(client, topic, shown=requests.form_stamp(datetime.now(TOKYO) - timedelta(days=2)))
    assert stale.status_code == 400
    assert not LectureRequest.objects.exists()


def test_one_address_may_send_five_requests_an_hour(client, topic):
    for _ in range(5):
        assert send(client, topic).status_code == 302
    refused = send(client, topic)
    assert refused.status_code == 429
    assert "短い時間に何度も" in refused.content.decode()
    assert LectureRequest.objects.count() == 5
    other = client.post("/portal/024422/lecture-request/", form_data(topic), REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 302


def test_the_topic_must_be_the_municipalitys_and_dates_in_the_future(client, topic, hachinohe):
    elsewhere = LectureTopic.objects.create(municipality=hachinohe, title="八戸市の講座")
    assert send(client, topic, topic=elsewhere.pk).status_code == 400
    assert send(client, topic, preferred_date_1=date.today().isoformat()).status_code == 400
    assert send(client, topic, phone="abc").status_code == 400
    assert not LectureRequest.objects.exists()


def submitted(topic) -> LectureRequest:
    details = requests.RequestDetails(
        topic=topic, group_kind="senior_club", group_name="寿老人クラブ", contact_name="五戸 太郎",
        phone="0178-62-0000", email="taro@example.jp", preferred_dates=[date.fromisoformat(future(14))],
        preferred_time="", place="寿会館", expected_number=20, message="",
    )  # fmt: skip
    return requests.submit(topic.municipality, details)


def test_only_the_municipalitys_staff_and_region_admins_handle_requests(
    alice, bob, carol, gonohe, hachinohe, topic
):
    assert permissions.can_handle_lecture_requests(bob, gonohe)
    assert permissions.can_handle_lecture_requests(alice, gonohe)
    assert not permissions.can_handle_lecture_requests(bob, hachinohe)
    assert not permissions.can_handle_lecture_requests(carol, gonohe)
    request = submitted(topic)
    with pytest.raises(PermissionDenied):
        requests.read_request(carol, request.pk)
    with pytest.raises(PermissionDenied):
        requests.decline(carol, request, reason="x")
    assert list(requests.handled_requests(carol)) == []
    assert list(requests.handled_requests(bob)) == [request]


def test_accepting_creates_the_outreach_lecture_event_and_mails_the_requester(bob, topic):
    request = submitted(topic)
    mail.outbox.clear()
    day = date.fromisoformat(future(14))
    requests.accept(
        bob, request,
        starts_at=datetime(day.year, day.month, day.day, 10, tzinfo=TOKYO),
        ends_at=datetime(day.year, day.month, day.day, 11, 30, tzinfo=TOKYO),
    )  # fmt: skip
    request.refresh_from_db()
    assert request.status == "accepted" and request.decided_by == bob
    event = Event.objects.get(pk=request.event_id)
    assert event.kind == "outreach_lecture"
    assert event.title == "出前講座「人生会議を知ろう」寿老人クラブ"
    assert event.municipality == topic.municipality and event.place == "寿会館"
    assert not event.open_to_public
    assert mail.outbox[0].subject == "【五戸町】出前講座のお申込みをお受けしました"
    assert f"実施日時: {day:%Y年%m月%d日} 10:00から" in mail.outbox[0].body
    with pytest.raises(requests.RequestError):
        requests.decline(bob, request, reason="重複")


def test_declining_needs_a_reason_that_the_requester_reads(bob, topic):
    request = submitted(topic)
    mail.outbox.clear()
    with pytest.raises(requests.RequestError) as missing:
        requests.decline(bob, request, reason=" ")
    assert missing.value.field == "reason"
    requests.decline(bob, request, reason="希望日に講師の都合がつきません。")
    request.refresh_from_db()
    assert request.status == "declined" and request.event_id is None
    assert "理由: 希望日に講師の都合がつきません。" in mail.outbox[0].body


def test_a_mail_that_cannot_be_sent_is_recorded_without_its_text(bob, topic, settings):
    settings.EMAIL_BACKEND = "tests.outreach.test_lecture_requests.BrokenBackend"
    request = submitted(topic)
    request.refresh_from_db()
    assert request.mail_error == "ConnectionRefusedError"


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("taro@example.jp refused")


def test_accepting_without_the_meetings_app_only_marks_the_request(bob, topic, monkeypatch):
    from renkei.core import public_events

    monkeypatch.setattr(public_events, "_REGISTERED", [])
    request = submitted(topic)
    day = date.fromisoformat(future(14))
    requests.accept(
        bob, request, starts_at=datetime(day.year, day.month, day.day, 10, tzinfo=TOKYO),
        ends_at=datetime(day.year, day.month, day.day, 11, tzinfo=TOKYO),
    )  # fmt: skip
    request.refresh_from_db()
    assert request.status == "accepted" and request.event_id is None
    assert not Event.objects.exists()


def test_staff_pages_need_the_second_factor_are_not_cached_and_are_logged(client, bob, topic):
    request = submitted(topic)
    client.force_login(bob)
    assert (
        client.get(f"/staff/outreach/lecture-requests/{request.pk}/").status_code == 302
    )  # to the code page
    verified_login(client, bob)
    listing = client.get("/staff/outreach/lecture-requests/")
    assert "寿老人クラブ" in listing.content.decode()
    page = client.get(f"/staff/outreach/lecture-requests/{request.pk}/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "taro@example.jp" in page.content.decode()
    log = AccessLog.objects.filter(subject_type="lecture_request", user=bob).get()
    assert (log.action, log.subject_id) == ("view", str(request.pk))
    response = client.post(
        f"/staff/outreach/lecture-requests/{request.pk}/", {"action": "decline", "reason": ""}
    )
    assert response.status_code == 400
    response = client.post(
        f"/staff/outreach/lecture-requests/{request.pk}/",
        {"action": "accept", "day": future(14), "start": "10:00", "end": "11:30"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "accepted" and request.event_id is not None


def test_staff_keep_the_municipalitys_topic_list(client, bob, gonohe, topic):
    client.force_login(bob)
    response = client.post("/staff/outreach/topics/", {"title": "フレイル予防", "description": ""})
    assert response.status_code == 302
    assert list(requests.active_topics(gonohe).values_list("title", flat=True)) == [
        "フレイル予防",
        "人生会議を知ろう",
    ]
    client.post(f"/staff/outreach/topics/{topic.pk}/toggle/")
    assert list(requests.active_topics(gonohe).values_list("title", flat=True)) == ["フレイル予防"]
    assert "人生会議を知ろう" not in client.get("/portal/024422/lecture-request/").content.decode()
