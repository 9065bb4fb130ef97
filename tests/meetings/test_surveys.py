"""Questionnaires to organisations: statistics against counts written out by hand, once per person,
who sees what, copying to compare year on year, issues raised from a survey."""

from __future__ import annotations

import threading
from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from openpyxl import load_workbook

from renkei.core.models import Organization, User
from renkei.meetings.models import QuestionKind, Scene, SeedItem, Survey, SurveyAnswer, SurveyResponse
from renkei.meetings.services import issues, survey_results, surveys
from tests.meetings.conftest import professional

OPEN_DAY = date(2025, 10, 10)
CM = User.Profession.CARE_MANAGER
NURSE = User.Profession.NURSE


def build(staff: User, municipality, **values) -> Survey:
    fields = {
        "title": "退院調整ルールのアンケート",
        "opens_on": OPEN_DAY,
        "closes_on": date(2025, 10, 31),
        "target_kinds": [Organization.Kind.CARE_MANAGEMENT_OFFICE, Organization.Kind.VISITING_NURSE_STATION],
    }
    fields.update(values)
    survey = surveys.create_survey(staff, municipality, **fields)
    surveys.add_question(
        staff, survey, kind=QuestionKind.CHOICE, text="ルールを知っていますか", choices=["はい", "いいえ"]
    )
    surveys.add_question(
        staff, survey, kind=QuestionKind.MULTIPLE, text="連絡の方法", choices=["電話", "FAX", "面談"]
    )
    surveys.add_question(staff, survey, kind=QuestionKind.SCALE, text="情報共有できている")
    surveys.add_question(staff, survey, kind=QuestionKind.NUMBER, text="件数", min_value=0, max_value=100)
    surveys.add_question(staff, survey, kind=QuestionKind.TEXT, text="困った場面", required=False)
    return survey


# (choice, multiple, 5-point, number, text) of cm1, cm2, cm3, ns1, ns2.
ROWS = (
    ("0", ["0", "1"], "5", "4", "前日に連絡が来た"),
    ("0", ["0"], "4", "2", ""),
    ("1", ["1", "2"], "2", "9", "窓口が分からない"),
    ("0", ["0"], "4", "1", ""),
    ("1", ["2"], "3", "6", ""),
)


def answer_all(survey: Survey, people: list[User], rows=ROWS) -> None:
    questions = list(survey.questions.all())
    for person, row in zip(people, rows, strict=False):
        surveys.answer(
            person, survey, dict(zip([q.pk for q in questions], row, strict=True)),
            show_name=person.username == "cm1", today=OPEN_DAY,
        )  # fmt: skip


@pytest.fixture
def answered(bob, gonohe, people) -> Survey:
    survey = build(bob, gonohe)
    assert surveys.open_survey(bob, survey) == 5
    answer_all(survey, people)
    return survey


def test_the_statistics_of_each_kind_match_the_counts_written_out_by_hand(answered, bob):
    data = survey_results.results(bob, answered)
    assert (data.responses, data.recipients, data.response_rate) == (5, 5, 100.0)
    choice, multiple, scale, number, text = data.questions
    assert [(o.label, o.count, o.share) for o in choice.options] == [("はい", 3, 60.0), ("いいえ", 2, 40.0)]
    # 電話: cm1 cm2 ns1; FAX: cm1 cm3; 面談: cm3 ns2 — shares of the five who answered.
    assert [(o.label, o.count, o.share) for o in multiple.options] == [
        ("電話", 3, 60.0), ("FAX", 2, 40.0), ("面談", 2, 40.0),
    ]  # fmt: skip
    assert scale.scale.ordered_counts == [(5, 1), (4, 2), (3, 1), (2, 1), (1, 0)]
    assert scale.scale.mean == 3.6  # (5 + 4 + 4 + 3 + 2) / 5
    assert number.numbers == survey_results.NumberSummary(5, 4.4, 4, 1, 9)  # 4 2 9 1 6
    assert text.answered == 2
    assert text.texts == [("前日に連絡が来た", "cm1"), ("窓口が分からない", "")]  # cm1 agreed to her name


def test_a_profession_filter_counts_that_profession_only_and_hides_a_group_under_three(answered, bob):
    care = survey_results.results(bob, answered, CM)
    assert care.responses == 3 and not care.hidden
    assert [o.count for o in care.questions[0].options] == [2, 1]
    assert care.questions[2].scale.mean == 3.67  # (5 + 4 + 2) / 3
    nurses = survey_results.results(bob, answered, NURSE)
    assert nurses.responses == 2 and nurses.hidden and nurses.questions == []
    assert answered_breakdown(bob, answered) == [("看護師", None), ("介護支援専門員", 3)]  # choices order


def answered_breakdown(user, survey):
    return [(label, n) for _code, label, n in survey_results.results(user, survey).by_profession]


def test_each_person_answers_once_and_may_change_the_answer_until_the_survey_closes(answered, bob, people):
    questions = list(answered.questions.all())
    row = dict(zip([q.pk for q in questions], ("1", ["2"], "1", "0", "変更"), strict=True))
    surveys.answer(people[0], answered, row, today=OPEN_DAY)
    assert SurveyResponse.objects.filter(survey=answered, respondent=people[0]).count() == 1
    assert SurveyAnswer.objects.filter(response__survey=answered).count() == 5 * 4 + 2 - 1 + 1
    assert survey_results.results(bob, answered).questions[0].options[0].count == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=answered, respondent=people[0])
    surveys.close_survey(bob, answered)
    with pytest.raises(PermissionDenied):
        surveys.answer(people[0], answered, row, today=OPEN_DAY)


def test_answers_are_checked_per_kind(bob, gonohe, people):
    survey = build(bob, gonohe)
    surveys.open_survey(bob, survey)
    q = [question.pk for question in survey.questions.all()]
    with pytest.raises(surveys.SurveyError) as refused:
        surveys.answer(
            people[0], survey, {q[0]: "5", q[1]: ["0", "0x"], q[2]: "6", q[3]: "101"}, today=OPEN_DAY
        )
    assert [e["field"] for e in refused.value.errors] == [f"q{pk}" for pk in q[:4]]
    assert SurveyResponse.objects.count() == 0


def test_someone_not_asked_cannot_answer_and_a_survey_not_yet_open_takes_no_answer(
    bob, gonohe, people, carol
):
    survey = build(bob, gonohe)
    row = {q.pk: v for q, v in zip(survey.questions.all(), ROWS[0], strict=True)}
    with pytest.raises(PermissionDenied):
        surveys.answer(people[0], survey, row, today=OPEN_DAY)  # still a draft
    surveys.open_survey(bob, survey)
    with pytest.raises(PermissionDenied):
        surveys.answer(carol, survey, row, today=OPEN_DAY)  # 八戸市, not asked
    with pytest.raises(PermissionDenied):
        surveys.answer(people[0], survey, row, today=date(2025, 11, 1))  # after the deadline


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_end_in_one_response(region_data):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the race needs PostgreSQL")
    from renkei.core.models import Municipality

    gonohe = Municipality.objects.get(code="024422")
    town = Organization.objects.create(
        name="五戸町役場 並行", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=gonohe
    )
    staff = professional("staff", town, "")
    staff.role = User.Role.MUNICIPALITY_STAFF
    staff.save()
    agency = Organization.objects.create(
        name="並行居宅", kind=Organization.Kind.CARE_MANAGEMENT_OFFICE, municipality=gonohe
    )
    person = professional("racer", agency, CM)
    survey = build(staff, gonohe)
    surveys.open_survey(staff, survey)
    row = {q.pk: v for q, v in zip(survey.questions.all(), ROWS[0], strict=True)}
    barrier = threading.Barrier(2)
    failures = []

    def submit():
        try:
            barrier.wait()
            surveys.answer(person, survey, row, today=OPEN_DAY)
        except Exception as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert SurveyAnswer.objects.filter(response__survey=survey).count() == 5


def test_only_the_organiser_reads_free_text_and_per_person_rows(answered, bob, alice, people, hachinohe):
    town = Organization.objects.create(
        name="八戸市役所 テスト", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=hachinohe
    )
    other_staff = professional("hstaff", town, "")
    other_staff.role = User.Role.MUNICIPALITY_STAFF
    other_staff.save()
    counts = survey_results.results(other_staff, answered)
    assert counts.responses == 5 and not counts.with_texts
    assert counts.questions[4].texts == []
    assert (
        "回答一覧"
        not in load_workbook(BytesIO(survey_results.results_xlsx(other_staff, answered))).sheetnames
    )
    with pytest.raises(PermissionDenied):
        survey_results.results(people[0], answered)  # a respondent sees no one else's answers
    assert survey_results.results(alice, answered).with_texts  # the region administrator manages it too
    assert not permissions_can_manage(other_staff, answered)


def permissions_can_manage(user, survey) -> bool:
    from renkei.core import permissions

    return permissions.can_manage_survey(user, survey)


def test_the_excel_file_holds_the_counts_the_breakdown_and_for_the_organiser_the_anonymous_rows(
    answered, bob
):
    book = load_workbook(BytesIO(survey_results.results_xlsx(bob, answered)))
    assert book.sheetnames == ["集計", "職種別", "回答一覧"]
    rows = [list(r) for r in book["集計"].iter_rows(values_only=True)]
    assert rows[0] == ["退院調整ルールのアンケート", "回答 5人 / 依頼 5人", None]
    assert ["はい", 3, 60.0] in rows and ["いいえ", 2, 40.0] in rows
    assert ["平均", 3.6, None] in rows and ["中央値", 4, None] in rows
    breakdown = [r[0] for r in book["職種別"].iter_rows(values_only=True) if r[0] and "（" in str(r[0])]
    assert breakdown == ["看護師（3人未満のため省略）", "介護支援専門員（3）"]
    answers = [list(r) for r in book["回答一覧"].iter_rows(values_only=True)]
    assert answers[0] == ["回答者", "職種", "問1", "問2", "問3", "問4", "問5"]
    assert answers[1] == ["cm1", "介護支援専門員", "はい", "電話、FAX", 5, 4, "前日に連絡が来た"]
    assert answers[3] == ["回答者3", "介護支援専門員", "いいえ", "FAX、面談", 2, 9, "窓口が分からない"]


def test_free_text_that_looks_like_a_formula_is_written_as_text(bob, gonohe, people):
    survey = build(bob, gonohe)
    surveys.open_survey(bob, survey)
    answer_all(survey, people, [("0", ["0"], "3", "1", '=HYPERLINK("x")')])
    sheet = load_workbook(BytesIO(survey_results.results_xlsx(bob, survey)))["回答一覧"]
    assert sheet["G2"].value == '\'=HYPERLINK("x")' and sheet["G2"].data_type == "s"


def test_a_copy_for_next_year_compares_each_question_with_last_years(answered, bob, people):
    surveys.close_survey(bob, answered)
    copy = surveys.copy_survey(bob, answered)
    assert (copy.fiscal_year, copy.opens_on, copy.status, copy.copied_from) == (
        2026,
        date(2026, 10, 10),
        "draft",
        answered,
    )
    surveys.open_survey(bob, copy)
    rows = [("0", ["0"], "5", "3", ""), ("0", ["0"], "5", "5", ""), ("0", ["1"], "4", "7", "")]
    questions = list(copy.questions.all())
    for person, row in zip(people, rows, strict=False):
        surveys.answer(
            person, copy, dict(zip([q.pk for q in questions], row, strict=True)), today=date(2026, 10, 10)
        )
    data = survey_results.results(bob, copy)
    choice, _multiple, scale, number, _text = data.questions
    assert [o.share for o in choice.options] == [100.0, 0.0]
    assert [o.share for o in choice.previous.options] == [60.0, 40.0]
    assert (scale.scale.mean, scale.previous.scale.mean) == (4.67, 3.6)
    assert (number.numbers.median, number.previous.numbers.median) == (5, 4)


def test_only_the_surveys_managers_build_open_and_copy_it(bob, gonohe, alice, ed, hachinohe):
    survey = build(bob, gonohe)
    with pytest.raises(PermissionDenied):
        surveys.create_survey(
            bob, hachinohe, title="x", opens_on=OPEN_DAY, closes_on=OPEN_DAY, target_kinds=["clinic"]
        )
    with pytest.raises(PermissionDenied):
        surveys.open_survey(ed, survey)
    with pytest.raises(PermissionDenied):
        surveys.copy_survey(ed, survey)
    with pytest.raises(PermissionDenied):
        surveys.create_survey(
            ed, gonohe, title="x", opens_on=OPEN_DAY, closes_on=OPEN_DAY, target_kinds=["clinic"]
        )
    surveys.add_question(alice, survey, kind=QuestionKind.TEXT, text="その他")  # the region administrator


def test_the_recipients_are_the_targeted_kinds_and_professions_of_the_municipality(
    bob, gonohe, people, carol, office
):
    professional("pt", office, User.Profession.THERAPIST)
    survey = build(bob, gonohe, target_professions=[CM])
    assert surveys.open_survey(bob, survey) == 3
    assert set(survey.recipients.values_list("user__username", flat=True)) == {"cm1", "cm2", "cm3"}
    with pytest.raises(surveys.SurveyError):
        surveys.add_question(bob, survey, kind=QuestionKind.TEXT, text="後から")  # questions fixed once open


def test_an_issue_can_be_raised_from_a_survey(answered, bob, gonohe):
    issue = issues.raise_issue(
        bob, gonohe, title="退院の連絡が前日になる", scene=Scene.ADMISSION_DISCHARGE, seed_item=SeedItem.U,
        raised_on=date(2025, 11, 5), source_survey=answered,
    )  # fmt: skip
    assert list(answered.issues.all()) == [issue]
