"""The shared lecturer roster: who taught what and how it was rated (counts written out by hand)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from renkei.core.models import User
from renkei.meetings.models import Event
from renkei.meetings.services import evaluation, events, lecturers
from renkei.meetings.services.lecturers import LecturerError
from tests.meetings.conftest import make_event, professional, tokyo


def _scores(a, b, c, d):
    return {"satisfaction": a, "understanding": b, "usefulness": c, "collaboration": d}


@pytest.fixture
def roster(bob, alice, gonohe, gonohe_office):
    pt = lecturers.add_lecturer(
        bob, name="理学療法士会 派遣講師", affiliation="青森県理学療法士会", topics="介護予防 リハビリ"
    )
    pharmacist = lecturers.add_lecturer(
        alice, name="薬剤師会 派遣講師", affiliation="八戸薬剤師会", topics="服薬支援"
    )
    people = [professional(f"p{i}", gonohe_office, User.Profession.CARE_MANAGER) for i in range(3)]
    first = make_event(bob, gonohe, title="リハビリ研修 第1回")
    second = make_event(
        bob,
        gonohe,
        title="リハビリ研修 第2回",
        starts_at=tokyo(2024, 9, 1, 18),
        ends_at=tokyo(2024, 9, 1, 20),
    )
    for event in (first, second):
        lecturers.set_event_lecturers(bob, event, [pt])
        events.record_named_attendance(bob, event, people)
    evaluation.answer(people[0], first, _scores(5, 4, 4, 3))
    evaluation.answer(people[1], first, _scores(3, 3, 3, 3))
    evaluation.answer(people[0], second, _scores(4, 4, 4, 4))
    return {"pt": pt, "pharmacist": pharmacist, "first": first, "second": second}


def test_the_roster_shows_each_lecturers_trainings_and_ratings(bob, roster):
    entries = {entry.lecturer.name: entry for entry in lecturers.roster(bob)}
    assert set(entries) == {"理学療法士会 派遣講師", "薬剤師会 派遣講師"}
    pt = entries["理学療法士会 派遣講師"]
    assert [(t.event.title, t.responses, t.satisfaction, t.overall) for t in pt.trainings] == [
        ("リハビリ研修 第2回", 1, 4.0, 4.0),
        ("リハビリ研修 第1回", 2, 4.0, 3.5),
    ]
    assert (pt.responses, pt.satisfaction) == (3, 4.0)
    pharmacist = entries["薬剤師会 派遣講師"]
    assert (pharmacist.trainings, pharmacist.responses, pharmacist.satisfaction) == ([], 0, None)


def test_the_roster_is_searched_by_topic_or_name(bob, roster):
    assert [e.lecturer.name for e in lecturers.roster(bob, "リハビリ")] == ["理学療法士会 派遣講師"]
    assert [e.lecturer.name for e in lecturers.roster(bob, "八戸薬剤師会")] == ["薬剤師会 派遣講師"]
    assert lecturers.roster(bob, "看取り") == []


def test_a_lecturer_is_listed_once_and_professionals_have_no_roster(bob, carol, roster):
    with pytest.raises(LecturerError, match="すでに名簿"):
        lecturers.add_lecturer(bob, name="理学療法士会 派遣講師", affiliation="青森県理学療法士会")
    with pytest.raises(PermissionDenied):
        lecturers.roster(carol)
    with pytest.raises(PermissionDenied):
        lecturers.add_lecturer(carol, name="x")


def test_the_roster_page_and_choosing_a_lecturer_for_a_new_training(client, bob, gonohe, roster, carol):
    client.force_login(bob)
    page = client.get("/meetings/lecturers/").content.decode()
    assert "研修 2回 ／ アンケート回答 3件 ／ 満足度の平均 4.00" in page
    response = client.post(
        "/meetings/new/",
        {
            "scope": str(gonohe.pk),
            "kind": "training",
            "title": "服薬支援の研修",
            "starts_at": "2024-10-01T18:00",
            "ends_at": "2024-10-01T19:30",
            "place": "五戸町公民館",
            "roster_lecturers": [roster["pharmacist"].pk],
        },
    )
    assert response.status_code == 302
    assert list(Event.objects.get(title="服薬支援の研修").roster_lecturers.all()) == [roster["pharmacist"]]
    client.post("/meetings/lecturers/", {"name": "訪問看護ステーション 所長", "topics": "看取り"})
    assert [e.lecturer.name for e in lecturers.roster(bob, "看取り")] == ["訪問看護ステーション 所長"]
    client.force_login(carol)
    assert client.get("/meetings/lecturers/").status_code == 403
