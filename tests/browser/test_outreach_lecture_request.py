"""A 町内会 requests a 出前講座 from the portal on a phone (no account), and the municipality's staff
accept it: it becomes a 出前講座 in the meetings calendar and both mails reach the requester. The
audit in conftest re-opens every page at 360 px and runs axe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from renkei.core.models import Organization, User
from renkei.meetings.models import Event
from renkei.outreach.models import LectureRequest, LectureTopic
from tests.browser.conftest import assert_accessible
from tests.browser.login import log_in
from tests.conftest import PASSWORD, make_user
from tests.core.totp import confirmed_totp_device

pytestmark = pytest.mark.usefixtures("region_data")


def test_a_group_requests_a_lecture_on_a_phone_and_staff_accept_it(live_server, phone_page, gonohe):
    LectureTopic.objects.create(municipality=gonohe, title="人生会議とエンディングノート")
    office = Organization.objects.create(
        name="五戸町役場 高齢福祉課（ブラウザ）", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=gonohe
    )
    staff = make_user("gonohe-portal", office, User.Role.MUNICIPALITY_STAFF, full_name="五戸 職員")
    device = confirmed_totp_device(staff)
    day = timezone.localdate() + timedelta(days=21)

    page = phone_page
    page.goto(f"{live_server.url}/portal/024422/")
    page.get_by_role("link", name="出前講座の申込みフォーム").click()
    page.get_by_role("heading", name="出前講座の申込み（五戸町）").wait_for()
    assert_accessible(page)
    page.get_by_role("combobox", name="講座").select_option(label="人生会議とエンディングノート")
    page.get_by_label("町内会").check()
    page.get_by_label("団体名").fill("中央町内会")
    page.get_by_label("第1希望日").fill(day.isoformat())
    page.get_by_label("会場").fill("中央町内会館")
    page.get_by_label("参加予定人数").fill("25")
    page.get_by_label("代表者・連絡担当者のお名前").fill("中央 一郎")
    page.get_by_label("電話番号").fill("090-1234-5678")
    page.get_by_label("メールアドレス").fill("ichiro@example.jp")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.wait_for_timeout(3000)  # the time check: people take longer than a few seconds
    page.get_by_role("button", name="申し込む").click()
    page.get_by_role("heading", name="お申込みを受け付けました").wait_for()
    assert [message.subject for message in mail.outbox] == ["【五戸町】出前講座のお申込みを受け付けました"]
    request = LectureRequest.objects.get()

    page.context.clear_cookies()
    log_in(page, live_server, "gonohe-portal", PASSWORD, device=device)
    page.goto(f"{live_server.url}/staff/outreach/lecture-requests/")
    page.get_by_role("link", name="中央町内会").click()
    page.get_by_role("heading", name="出前講座の申込み（中央町内会）").wait_for()
    assert page.get_by_role("link", name="090-1234-5678").get_attribute("href") == "tel:090-1234-5678"
    page.get_by_label("開始時刻").fill("13:30")
    page.get_by_label("終了時刻").fill("15:00")
    page.get_by_role("button", name="お受けする").click()
    assert page.get_by_test_id("request-status").inner_text() == "お受けした"
    page.get_by_test_id("request-event").click()
    page.get_by_role("heading", name="出前講座「人生会議とエンディングノート」中央町内会").wait_for()

    request.refresh_from_db()
    event = Event.objects.get(pk=request.event_id)
    assert event.kind == "outreach_lecture" and event.place == "中央町内会館"
    assert timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M") == f"{day.isoformat()} 13:30"
    assert mail.outbox[-1].subject == "【五戸町】出前講座のお申込みをお受けしました"
