"""Events open to residents on the portal, from the meetings app when it is installed."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import override_settings

from renkei.core import public_events
from renkei.meetings.services import events
from renkei.meetings.services.events import EventError

TOKYO = ZoneInfo("Asia/Tokyo")


def at(days: int, hour: int) -> datetime:
    day = datetime.now(TOKYO).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=TOKYO)


def event(actor, municipality, title, *, kind="public_lecture", open_to_public=True, days=10, **extra):
    values = {
        "kind": kind, "title": title, "starts_at": at(days, 13), "ends_at": at(days, 15),
        "place": "五戸町公民館", "open_to_public": open_to_public,
    } | extra  # fmt: skip
    return events.create_event(actor, municipality, **values)


def test_public_events_show_on_their_municipality_and_the_region(client, alice, bob, gonohe):
    event(
        bob, gonohe, "認知症を知る講演会", theme="認知症の早期発見", online_url="https://meet.example/secret"
    )
    event(alice, None, "圏域の在宅医療フォーラム", days=20)
    gonohe_page = client.get("/portal/024422/").content.decode()
    assert "認知症を知る講演会" in gonohe_page and "圏域の在宅医療フォーラム" in gonohe_page
    assert "認知症の早期発見" in gonohe_page and "五戸町公民館" in gonohe_page
    assert "meet.example" not in gonohe_page  # the online URL is for registered professionals
    assert gonohe_page.index("認知症を知る講演会") < gonohe_page.index(
        "圏域の在宅医療フォーラム"
    )  # soonest first
    hachinohe_page = client.get("/portal/022039/").content.decode()
    assert "圏域の在宅医療フォーラム" in hachinohe_page and "認知症を知る講演会" not in hachinohe_page
    region_page = client.get("/portal/").content.decode()
    assert "認知症を知る講演会" in region_page and "圏域の在宅医療フォーラム" in region_page


def test_closed_past_and_professional_events_stay_off_the_portal(client, bob, gonohe):
    event(bob, gonohe, "関係者だけの講演会", open_to_public=False)
    event(bob, gonohe, "先月の講演会", days=-30)
    event(bob, gonohe, "多職種研修", kind="training", open_to_public=False)
    page = client.get("/portal/024422/").content.decode()
    assert "関係者だけの講演会" not in page and "先月の講演会" not in page and "多職種研修" not in page
    assert "いまお知らせしている講演会・講座はありません。" in page


def test_only_resident_kinds_can_be_open_to_the_public(bob, gonohe):
    with pytest.raises(EventError) as refused:
        event(bob, gonohe, "多職種研修", kind="training", open_to_public=True)
    assert refused.value.field == "open_to_public"
    assert event(bob, gonohe, "出前講座", kind="outreach_lecture").open_to_public


@pytest.mark.django_db
def test_the_portal_works_without_the_meetings_app(client):
    assert public_events.calendar() is not None
    without = [name for name in settings.INSTALLED_APPS if name != "renkei.meetings"]
    with override_settings(INSTALLED_APPS=without):
        assert public_events.calendar() is None
        response = client.get("/portal/024422/")
        assert response.status_code == 200
        assert "いまお知らせしている講演会・講座はありません。" in response.content.decode()
