"""The survey pages through the Django test client: build, open, answer, results, Excel, copy."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO, StringIO

from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from renkei.meetings.models import Issue, Question, Survey, SurveyResponse
from renkei.meetings.survey_demo import TITLE


def test_staff_build_open_and_read_a_survey_that_professionals_answer(client, bob, gonohe, people, carol):
    today = timezone.localdate()
    client.force_login(bob)
    response = client.post(
        "/meetings/surveys/new/",
        {
            "scope": str(gonohe.pk),
            "title": "連携の実態調査",
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=14)).isoformat(),
            "target_kinds": ["care_management_office"],
        },
    )
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/meetings/surveys/{survey.pk}/"
    client.post(
        f"/meetings/surveys/{survey.pk}/questions/",
        {"kind": "choice", "text": "満足ですか", "choices": "はい\nいいえ", "required": "on"},
    )
    client.post(f"/meetings/surveys/{survey.pk}/questions/", {"kind": "text", "text": "ご意見"})
    refused = client.post(
        f"/meetings/surveys/{survey.pk}/questions/", {"kind": "choice", "text": "選択肢なし", "choices": ""}
    )
    assert refused.status_code == 400 and "選択肢を2つ以上入力してください" in refused.content.decode()
    assert Question.objects.count() == 2
    client.post(f"/meetings/surveys/{survey.pk}/open/")
    assert Survey.objects.get().status == "open" and survey.recipients.count() == 3

    client.force_login(people[0])
    assert "アンケートへの回答をお願いします" in client.get("/staff/").content.decode()
    question = survey.questions.first()
    response = client.post(
        f"/meetings/surveys/{survey.pk}/answer/",
        {f"q{question.pk}": "0", f"q{question.pk + 1}": "<b>連絡が遅い</b>"},
    )
    assert response.status_code == 302 and SurveyResponse.objects.count() == 1
    assert client.get(f"/meetings/surveys/{survey.pk}/results/").status_code == 403

    client.force_login(carol)  # not asked, another municipality
    assert client.get(f"/meetings/surveys/{survey.pk}/").status_code == 404

    client.force_login(bob)
    page = client.get(f"/meetings/surveys/{survey.pk}/results/").content.decode()
    assert "回答 1人／依頼 3人" in page and "&lt;b&gt;連絡が遅い&lt;/b&gt;" in page
    download = client.get(f"/meetings/surveys/{survey.pk}/results.xlsx")
    assert download["Cache-Control"] == "no-store"
    assert load_workbook(BytesIO(download.content)).sheetnames == ["集計", "職種別", "回答一覧"]
    client.post(f"/meetings/surveys/{survey.pk}/close/")
    client.post(f"/meetings/surveys/{survey.pk}/copy/")
    assert Survey.objects.filter(copied_from=survey, status="draft").count() == 1


def test_an_issue_form_offers_the_survey_it_came_from(client, bob, gonohe, people):
    from renkei.meetings.services import surveys
    from tests.meetings.test_surveys import build

    survey = build(bob, gonohe)
    surveys.open_survey(bob, survey)
    client.force_login(bob)
    page = client.get(f"/meetings/issues/new/?survey={survey.pk}").content.decode()
    assert f'<option value="{survey.pk}" selected>' in page
    response = client.post(
        "/meetings/issues/new/",
        {"scope": str(gonohe.pk), "title": "退院連絡が遅い", "scene": "admission_discharge", "seed_item": "u",
         "raised_on": "2025-11-01", "source_survey": str(survey.pk)},
    )  # fmt: skip
    issue = Issue.objects.get()
    assert response.status_code == 302 and issue.source_survey == survey
    assert "提起されたアンケート" in client.get(f"/meetings/issues/{issue.pk}/").content.decode()


def test_the_demo_has_hashikamis_survey_for_two_years_once(db):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    last, current = Survey.objects.filter(title=TITLE).order_by("fiscal_year")
    assert current.copied_from == last and current.fiscal_year == last.fiscal_year + 1
    assert (last.status, last.responses.count(), current.status, current.responses.count()) == (
        "closed",
        6,
        "open",
        4,
    )
