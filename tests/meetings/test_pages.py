"""The meetings pages, end to end through the Django test client."""

from __future__ import annotations

from renkei.core.models import Organization
from renkei.meetings.models import Event
from renkei.meetings.services import events
from tests.meetings.conftest import make_event


def _create(client, **extra):
    data = {
        "scope": extra.pop("scope"),
        "kind": "training",
        "title": "成年後見制度の研修",
        "theme": "事例から学ぶ",
        "lecturer": "社会福祉士会",
        "starts_at": "2024-09-05T18:30",
        "ends_at": "2024-09-05T20:00",
        "place": "五戸町公民館",
        "target_professions": ["care_manager", "social_worker"],
    }
    data.update(extra)
    return client.post("/meetings/new/", data)


def test_municipality_staff_create_a_training_from_the_page(client, bob, gonohe):
    client.force_login(bob)
    response = _create(client, scope=str(gonohe.pk))
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/meetings/{event.pk}/"
    assert event.target_professions == ["care_manager", "social_worker"]
    page = client.get(f"/meetings/{event.pk}/").content.decode()
    assert "成年後見制度の研修" in page and "介護支援専門員、社会福祉士" in page and "招待する" in page


def test_the_form_shows_rule_errors_in_japanese(client, bob, gonohe):
    client.force_login(bob)
    response = _create(client, scope=str(gonohe.pk), ends_at="2024-09-05T17:00")
    assert response.status_code == 400
    assert "終了日時は開始日時より後にしてください。" in response.content.decode()
    assert not Event.objects.exists()


def test_municipality_staff_cannot_choose_another_municipality(client, bob, hachinohe):
    client.force_login(bob)
    assert _create(client, scope=str(hachinohe.pk)).status_code == 400
    assert not Event.objects.exists()


def test_professionals_have_no_planning_pages(client, carol):
    client.force_login(carol)
    assert client.get("/meetings/").status_code == 200
    assert client.get("/meetings/new/").status_code == 403
    assert client.get("/meetings/summary/").status_code == 403
    assert client.get("/meetings/issues/").status_code == 403


def test_invite_register_and_record_attendance_through_the_pages(client, bob, gonohe, ed):
    event = make_event(bob, gonohe)
    client.force_login(bob)
    client.post(f"/meetings/{event.pk}/invite/", {"kinds": ["care_management_office"]})
    assert list(event.invitations.values_list("organization__name", flat=True)) == [
        "テスト居宅介護支援事業所"
    ]
    client.force_login(ed)
    assert "参加登録する" in client.get(f"/meetings/{event.pk}/").content.decode()
    client.post(f"/meetings/{event.pk}/register/")
    assert event.registrations.filter(user=ed).exists()
    client.force_login(bob)
    client.post(f"/meetings/{event.pk}/attendees/", {"users": [ed.pk]})
    assert list(event.attendances.values_list("user__username", flat=True)) == ["ed"]
    page = client.get(f"/meetings/{event.pk}/").content.decode()
    assert "出席 1人" in page


def test_others_cannot_post_to_an_event_they_do_not_manage(client, bob, gonohe, ed):
    event = make_event(bob, gonohe)
    events.invite(bob, event, [Organization.Kind.CARE_MANAGEMENT_OFFICE])
    client.force_login(ed)
    assert client.post(f"/meetings/{event.pk}/minutes/", {"minutes": "x"}).status_code == 403
    assert client.post(f"/meetings/{event.pk}/invite/", {"kinds": ["hospital"]}).status_code == 403
    assert client.get(f"/meetings/{event.pk}/edit/").status_code == 403
