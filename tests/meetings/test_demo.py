from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from renkei.meetings.models import (
    Attendance,
    Countermeasure,
    Evaluation,
    Event,
    Issue,
    Lecturer,
    Registration,
)
from renkei.meetings.services import issues


def _counts() -> dict[str, int]:
    return {
        "events": Event.objects.count(),
        "registrations": Registration.objects.count(),
        "attendances": Attendance.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "issues": Issue.objects.count(),
        "countermeasures": Countermeasure.objects.count(),
        "lecturers": Lecturer.objects.count(),
        "lecturers_with_trainings": Lecturer.objects.filter(events__isnull=False).distinct().count(),
    }


@pytest.mark.django_db
def test_demo_has_a_training_a_paper_council_a_lecture_and_two_issues_once():
    call_command("load_demo", stdout=StringIO())
    expected = {
        "events": 3,
        "registrations": 3,
        "attendances": 3 + 4,  # three named attendees; four profession rows of the paper council
        "evaluations": 2,
        "issues": 2,
        "countermeasures": 1,
        "lecturers": 3,
        "lecturers_with_trainings": 1,
    }
    assert _counts() == expected
    stages = sorted(issues.stage_of(issue) for issue in Issue.objects.all())
    assert stages == ["act", "plan"]
    call_command("load_demo", stdout=StringIO())
    assert _counts() == expected
