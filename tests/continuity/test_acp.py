"""人生会議 (ACP) records: kept per discussion, the latest on the path, shared under the same consent;
a reminder once the review date has passed."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from renkei.continuity import services
from renkei.continuity.models import LifeSustaining
from renkei.continuity.services.duty import at
from renkei.core.models import AccessLog
from renkei.sharing.models import TeamRole
from tests.core.totp import verified_login

from .conftest import add_member, give_consent, register

DISCUSSION = {
    "participants": "本人、長女、訪問看護",
    "place_of_care": "自宅",
    "place_of_death": "自宅",
    "life_sustaining": LifeSustaining.DECLINES,
    "surrogate": "長女 架空 春子",
    "what_matters": "庭の花を見て過ごしたい",
}


@pytest.fixture
def patient(cm, carol):
    patient = register(cm)
    give_consent(patient, cm)
    add_member(patient, cm, carol, TeamRole.VISITING_NURSE)
    return patient


def record(actor, patient, discussed_on, review_on, **changes):
    return services.record_acp(
        actor, patient, {**DISCUSSION, "discussed_on": discussed_on, "review_on": review_on, **changes}
    )


@time_machine.travel(at(date(2026, 12, 3), 10), tick=False)
def test_each_discussion_is_kept_and_the_latest_is_shown(patient, cm, carol):
    first = record(cm, patient, date(2026, 6, 1), date(2026, 12, 1))
    second = record(
        carol, patient, date(2026, 11, 20), date(2027, 5, 20), life_sustaining=LifeSustaining.UNDECIDED
    )
    assert services.acp_history(cm, patient) == [second, first]
    path = services.resolve_path(carol, patient, at(date(2026, 12, 3), 22))
    assert path.latest_acp == second
    assert AccessLog.objects.filter(user=cm, object_type="acp_record", action="create").count() == 1


@time_machine.travel(at(date(2026, 12, 3), 10), tick=False)
def test_the_reminder_lists_passed_review_dates_only(patient, cm, carol):
    other = register(cm, full_name="架空 次郎", full_name_kana="かくう じろう", birth_date=date(1940, 1, 1))
    overdue = record(cm, patient, date(2026, 6, 1), date(2026, 12, 2))
    record(cm, other, date(2026, 6, 1), date(2026, 12, 3))  # due today: not yet passed
    assert services.overdue_reviews(cm) == [overdue]
    assert services.overdue_reviews(carol) == [overdue]
    # A newer discussion with a later review date ends the reminder.
    record(carol, patient, date(2026, 12, 3), date(2027, 6, 3))
    assert services.overdue_reviews(cm) == []


@time_machine.travel(at(date(2026, 12, 3), 10), tick=False)
def test_the_start_page_reminds(patient, cm, client):
    record(cm, patient, date(2026, 6, 1), date(2026, 12, 1))
    verified_login(client, cm)
    page = client.get("/staff/").content.decode()
    assert "人生会議の見直し" in page
    assert "架空 花子さん" in page


def test_review_dates_and_dates_in_the_future_are_refused(patient, cm):
    with pytest.raises(services.ContinuityError) as refused:
        record(cm, patient, date(2026, 6, 1), date(2026, 5, 1))
    assert refused.value.field == "review_on"
    with pytest.raises(services.ContinuityError) as refused:
        record(cm, patient, date(2999, 1, 1), date(2999, 6, 1))
    assert refused.value.field == "discussed_on"


def test_acp_follows_the_consent(cm, carol, cm_colleague):
    patient = register(cm)
    add_member(patient, cm, carol, TeamRole.VISITING_NURSE)
    # No consent yet: the nurse of another organisation neither reads nor records.
    with pytest.raises(PermissionDenied):
        services.acp_history(carol, patient)
    with pytest.raises(PermissionDenied):
        record(carol, patient, date(2026, 6, 1), date(2026, 12, 1))
    with pytest.raises(PermissionDenied):
        services.acp_history(cm_colleague, patient)
    give_consent(patient, cm)
    assert services.acp_history(carol, patient) == []


def test_the_acp_page_records_a_discussion(patient, carol, client):
    verified_login(client, carol)
    response = client.post(
        f"/continuity/patients/{patient.pk}/acp/",
        {**DISCUSSION, "discussed_on": "2026-11-01", "review_on": "2027-05-01"},
    )
    assert response.status_code == 302
    page = client.get(f"/continuity/patients/{patient.pk}/acp/").content.decode()
    assert "庭の花を見て過ごしたい" in page
