"""The evaluation after a training: counted per event and per 年度 against hand-counted figures."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from renkei.core.models import AccessLog, Organization, User
from renkei.meetings.models import EventKind
from renkei.meetings.services import evaluation, events
from renkei.meetings.services.evaluation import EvaluationError
from tests.meetings.conftest import make_event, professional, tokyo


def _scores(satisfaction, understanding, usefulness, collaboration) -> dict[str, int]:
    return {
        "satisfaction": satisfaction,
        "understanding": understanding,
        "usefulness": usefulness,
        "collaboration": collaboration,
    }


@pytest.fixture
def four(gonohe_office, hospital) -> list[User]:
    return [
        professional("cm1", gonohe_office, User.Profession.CARE_MANAGER),
        professional("cm2", gonohe_office, User.Profession.CARE_MANAGER),
        professional("ns1", hospital, User.Profession.NURSE),
        professional("ns2", hospital, User.Profession.NURSE),
    ]


@pytest.fixture
def training(bob, gonohe, four):
    event = make_event(bob, gonohe)
    events.record_named_attendance(bob, event, four)
    return event


def test_one_training_is_counted_item_by_item(bob, training, four, ed):
    cm1, cm2, ns1, _ns2 = four
    evaluation.answer(cm1, training, _scores(5, 3, 5, 2), "グループワークが良かった")
    evaluation.answer(cm2, training, _scores(4, 3, 5, 4))
    evaluation.answer(ns1, training, _scores(4, 5, 5, 1), "時間が短い")
    summary = evaluation.event_summary(bob, training)
    assert (summary.responses, summary.attendees, summary.response_rate) == (3, 4, 75.0)
    by_item = {item.name: (item.ordered_counts, item.mean) for item in summary.items}
    assert by_item == {
        "satisfaction": ([(5, 1), (4, 2), (3, 0), (2, 0), (1, 0)], 4.33),
        "understanding": ([(5, 1), (4, 0), (3, 2), (2, 0), (1, 0)], 3.67),
        "usefulness": ([(5, 3), (4, 0), (3, 0), (2, 0), (1, 0)], 5.0),
        "collaboration": ([(5, 0), (4, 1), (3, 0), (2, 1), (1, 1)], 2.33),
    }
    assert summary.by_profession == [("看護師", 1), ("介護支援専門員", 2)]


def test_each_attendee_answers_once_and_only_attendees_answer(training, four, ed):
    evaluation.answer(four[0], training, _scores(5, 5, 5, 5))
    with pytest.raises(EvaluationError, match="すでに回答"):
        evaluation.answer(four[0], training, _scores(1, 1, 1, 1))
    with pytest.raises(PermissionDenied):
        evaluation.answer(ed, training, _scores(5, 5, 5, 5))


def test_every_item_needs_a_score_from_one_to_five(training, four):
    with pytest.raises(EvaluationError) as error:
        evaluation.answer(four[0], training, {"satisfaction": 6, "understanding": 3, "usefulness": 0})
    assert [item["field"] for item in error.value.errors] == ["satisfaction", "usefulness", "collaboration"]


def test_meetings_that_are_not_trainings_have_no_evaluation(bob, gonohe, four):
    meeting = make_event(bob, gonohe, kind=EventKind.INDIVIDUAL_CARE_MEETING)
    events.record_named_attendance(bob, meeting, four[:1])
    with pytest.raises(PermissionDenied):
        evaluation.answer(four[0], meeting, _scores(5, 5, 5, 5))


def test_a_fiscal_year_adds_up_its_trainings_april_to_march(bob, gonohe, four, alice):
    june = make_event(bob, gonohe)
    march = make_event(bob, gonohe, starts_at=tokyo(2025, 3, 31, 18), ends_at=tokyo(2025, 3, 31, 20))
    april = make_event(bob, gonohe, starts_at=tokyo(2025, 4, 1, 18), ends_at=tokyo(2025, 4, 1, 20))
    for event in (june, march, april):
        events.record_named_attendance(bob, event, four[:2])
    evaluation.answer(four[0], june, _scores(5, 5, 5, 5))
    evaluation.answer(four[1], june, _scores(3, 3, 3, 3))
    evaluation.answer(four[0], march, _scores(4, 4, 4, 4))
    evaluation.answer(four[0], april, _scores(1, 1, 1, 1))
    fy2024 = evaluation.fiscal_year_summary(bob, 2024)
    assert (fy2024.responses, fy2024.attendees) == (3, 4)
    assert fy2024.items[0].ordered_counts == [(5, 1), (4, 1), (3, 1), (2, 0), (1, 0)]
    assert fy2024.items[0].mean == 4.0
    fy2025 = evaluation.fiscal_year_summary(bob, 2025)
    assert (fy2025.responses, fy2025.items[0].mean) == (1, 1.0)
    assert evaluation.fiscal_year_summary(alice, 2024).responses == 3  # the region's administrator
    assert evaluation.fiscal_year_summary(four[0], 2024).responses == 0  # manages nothing


def test_free_text_is_read_by_the_organiser_only(client, bob, training, four):
    evaluation.answer(four[0], training, _scores(5, 3, 5, 2), "講師の説明がわかりやすかった")
    with pytest.raises(PermissionDenied):
        evaluation.comments(four[1], training)
    assert evaluation.comments(bob, training) == ["講師の説明がわかりやすかった"]
    assert AccessLog.objects.filter(subject_type="meetings_event", object_type="evaluations").count() == 1
    client.force_login(four[1])
    page = client.get(f"/meetings/{training.pk}/evaluation/results/").content.decode()
    assert "回答 1件" in page and "講師の説明" not in page
    client.force_login(bob)
    page = client.get(f"/meetings/{training.pk}/evaluation/results/").content.decode()
    assert "講師の説明がわかりやすかった" in page


def test_the_questionnaire_page_takes_an_answer(client, training, four):
    client.force_login(four[2])
    assert client.get(f"/meetings/{training.pk}/evaluation/").status_code == 200
    response = client.post(
        f"/meetings/{training.pk}/evaluation/",
        {"satisfaction": "4", "understanding": "4", "usefulness": "5", "collaboration": "3", "comment": ""},
    )
    assert response.status_code == 302
    assert evaluation.has_answered(four[2], training)
    assert (
        client.get(f"/meetings/{training.pk}/evaluation/").status_code == 302
    )  # answered: back to the event
    assert not evaluation.events_to_evaluate(four[2]).exists()
    assert list(evaluation.events_to_evaluate(four[3])) == [training]


def test_people_outside_the_event_see_no_results(client, training, gonohe):
    stranger = professional(
        "stranger", Organization.objects.get(name="テスト病院"), User.Profession.PHYSICIAN
    )
    client.force_login(stranger)
    assert client.get(f"/meetings/{training.pk}/evaluation/results/").status_code == 404
