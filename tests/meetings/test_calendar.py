"""The .ics of an event and an organisation's feed, read back with the icalendar library."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar

from renkei.core.models import Organization
from renkei.meetings.services import calendar, events
from tests.meetings.conftest import make_event, tokyo

URL = "https://meet.example.invalid/acp-2024"


def _parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def _online_event(bob, gonohe):
    event = make_event(
        bob,
        gonohe,
        title="ACP研修; 第1回, 五戸",
        online_url=URL,
        lecturer="理学療法士会 講師",
        theme="意思決定支援",
    )
    events.invite(bob, event, [Organization.Kind.CARE_MANAGEMENT_OFFICE])
    return event


def test_event_ics_parses_with_the_event_and_its_time_zone(client, bob, gonohe, ed):
    event = _online_event(bob, gonohe)
    client.force_login(ed)
    parsed = _parse(client.get(f"/meetings/{event.pk}/event.ics"))
    [component] = parsed.walk("VEVENT")
    assert str(component["SUMMARY"]) == "ACP研修; 第1回, 五戸"
    assert component.start == datetime(2024, 6, 10, 18, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert component.end == tokyo(2024, 6, 10, 20, 0)
    assert str(component["UID"]) == f"{event.uid}@renkei"
    assert [tz.tz_name for tz in parsed.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    assert "講師: 理学療法士会 講師" in str(component["DESCRIPTION"])
    # Ed's office was invited but he has not registered: no URL.
    assert URL not in str(component["LOCATION"])
    assert str(component["LOCATION"]) == "五戸町公民館 / オンライン（URLは登録者に案内）"


def test_registered_people_get_the_online_url_in_their_ics(client, bob, gonohe, ed):
    event = _online_event(bob, gonohe)
    events.register(ed, event)
    client.force_login(ed)
    [component] = _parse(client.get(f"/meetings/{event.pk}/event.ics")).walk("VEVENT")
    assert str(component["LOCATION"]) == f"五戸町公民館 / オンライン {URL}"
    page = client.get(f"/meetings/{event.pk}/").content.decode()
    assert URL in page


def test_the_event_page_hides_the_url_from_invited_but_unregistered_people(client, bob, gonohe, ed):
    event = _online_event(bob, gonohe)
    client.force_login(ed)
    page = client.get(f"/meetings/{event.pk}/").content.decode()
    assert URL not in page and "参加登録する" in page


def test_people_not_invited_get_no_ics(client, bob, gonohe, carol):
    event = _online_event(bob, gonohe)
    client.force_login(carol)
    assert client.get(f"/meetings/{event.pk}/event.ics").status_code == 404


def test_the_organisation_feed_lists_its_invitations_without_urls(client, bob, gonohe, ed, alice):
    event = _online_event(bob, gonohe)
    events.register(ed, event)
    make_event(
        alice, None, title="圏域の推進会議", starts_at=tokyo(2024, 7, 1, 14), ends_at=tokyo(2024, 7, 1, 16)
    )
    token = calendar.feed_token(ed.organization)
    response = client.get(f"/meetings/feeds/{token}.ics")  # no login: a calendar program subscribes
    parsed = _parse(response)
    assert [str(c["SUMMARY"]) for c in parsed.walk("VEVENT")] == ["ACP研修; 第1回, 五戸"]
    assert URL not in response.content.decode()
    assert str(parsed["NAME"]) == "テスト居宅介護支援事業所 会議・研修"
    assert client.get(f"/meetings/feeds/{token}x.ics").status_code == 404
    assert client.get("/meetings/feeds/1.ics").status_code == 404


def test_an_edited_event_carries_a_higher_sequence(client, bob, gonohe):
    event = _online_event(bob, gonohe)
    events.update_event(bob, event, place="五戸町役場")
    client.force_login(bob)
    [component] = _parse(client.get(f"/meetings/{event.pk}/event.ics")).walk("VEVENT")
    assert int(component["SEQUENCE"]) == 1
    assert str(component["LOCATION"]) == f"五戸町役場 / オンライン {URL}"
