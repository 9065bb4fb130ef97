"""Admission episodes: recorded by the care team, shown on the patient's page with their deadlines,
seen by the hospital liaison the episode names and by nobody else."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from renkei.core import permissions
from renkei.core.models import AccessLog
from renkei.transitions import services
from renkei.transitions.models import Episode
from tests.core.totp import verified_login
from tests.sharing.conftest import add_member, give_consent
from tests.transitions.conftest import admit, tokyo


@pytest.fixture
def team(cm, carol, patient):
    give_consent(patient, cm)
    add_member(patient, cm, carol)
    return patient


def test_a_care_manager_records_an_admission_and_its_deadlines_are_stored(cm, patient, hospital):
    episode = admit(
        cm,
        patient,
        tokyo(2026, 12, 3, 18, 0),
        hospital_facility=hospital,
        expected_discharge=date(2026, 12, 10),
    )
    episode.refresh_from_db()
    assert episode.hospital_name == "テスト市民病院"
    assert episode.care_manager == cm
    assert episode.admission_bonus_due == date(2026, 12, 4)  # after office hours: the next day
    assert episode.admission_info_due == date(2026, 12, 5)
    assert episode.discharge_contact_due == date(2026, 12, 7)
    assert AccessLog.objects.filter(
        user=cm, action="create", subject_type="patient", subject_id=str(patient.pk), object_type="episode"
    ).exists()


def test_a_hospital_not_in_the_directory_is_written_in_free_text(cm, patient):
    episode = admit(cm, patient, tokyo(2026, 12, 3), hospital_name="  圏域外の大学病院  ")
    assert episode.hospital_name == "圏域外の大学病院"
    assert episode.hospital_facility is None


def test_the_hospital_is_required_and_the_discharge_cannot_precede_admission(cm, patient):
    with pytest.raises(services.TransitionError) as refused:
        admit(cm, patient, tokyo(2026, 12, 3), hospital_name="", expected_discharge=date(2026, 12, 1))
    fields = {error["field"] for error in refused.value.errors}
    assert fields == {"hospital_name", "expected_discharge"}
    assert Episode.objects.count() == 0


def test_a_closed_episode_needs_its_discharge_date(cm, patient):
    with pytest.raises(services.TransitionError) as refused:
        admit(cm, patient, tokyo(2026, 12, 3), status="discharged")
    assert refused.value.field == "discharged_on"


def test_the_patient_page_shows_the_episodes_with_what_is_due(client, cm, carol, team):
    admit(cm, team, tokyo(2026, 12, 3, 10, 0), ward="4階東")
    with time_machine.travel(tokyo(2026, 12, 8, 9, 0)):
        verified_login(client, carol)
        page = client.get(f"/patients/{team.pk}/").content.decode()
    assert "入退院" in page
    assert "テスト市民病院 4階東" in page
    assert "期限 2026年12月5日" in page
    assert "期限を過ぎています" in page


def test_only_the_team_and_the_named_liaison_see_an_episode(
    client, cm, carol, cm_colleague, alice, liaison, team
):
    episode = admit(cm, team, tokyo(2026, 12, 3), liaison_user=liaison)
    for user in (cm, carol, liaison):
        assert permissions.can_view_episode(user, episode), user
    for user in (cm_colleague, alice):
        assert not permissions.can_view_episode(user, episode), user
        with pytest.raises(PermissionDenied):
            services.read_episode(user, episode.pk)
    assert AccessLog.objects.filter(user=cm_colleague, action="denied", object_type="episode").exists()
    verified_login(client, cm_colleague)
    assert client.get(f"/transitions/episodes/{episode.pk}/").status_code == 403


def test_the_liaison_sees_the_episode_but_not_the_timeline(client, cm, liaison, team):
    episode = admit(cm, team, tokyo(2026, 12, 3), liaison_user=liaison)
    verified_login(client, liaison)
    response = client.get(f"/transitions/episodes/{episode.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    assert client.get(f"/patients/{team.pk}/").status_code == 403
    assert AccessLog.objects.filter(user=liaison, action="view", object_type="episode").exists()


def test_a_liaison_must_be_hospital_staff(cm, carol, team):
    with pytest.raises(services.TransitionError) as refused:
        admit(cm, team, tokyo(2026, 12, 3), liaison_user=carol)
    assert refused.value.field == "liaison_user"


def test_a_former_member_loses_the_episode(client, cm, carol, team):
    episode = admit(cm, team, tokyo(2026, 12, 3))
    verified_login(client, carol)
    assert client.post(f"/patients/{team.pk}/team/leave/").status_code == 302
    assert not permissions.can_view_episode(carol, episode)


def test_recording_the_admission_sheet_and_the_hospital_contact(client, cm, team):
    episode = admit(cm, team, tokyo(2026, 12, 3), expected_discharge=date(2026, 12, 10))
    with time_machine.travel(tokyo(2026, 12, 4, 12, 0)):
        verified_login(client, cm)
        response = client.post(
            f"/transitions/episodes/{episode.pk}/progress/admission_info/", {"at": "2026-12-04T11:00"}
        )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.admission_info_sent_at == tokyo(2026, 12, 4, 11, 0)
    with time_machine.travel(tokyo(2026, 12, 4, 12, 0)), pytest.raises(services.TransitionError):
        services.record_progress(cm, episode.pk, "discharge_contact", tokyo(2026, 12, 5, 9, 0))  # the future


def test_a_new_episode_through_the_page(client, cm, team):
    verified_login(client, cm)
    response = client.post(
        f"/transitions/patients/{team.pk}/episodes/new/",
        {
            "hospital_name": "圏域外病院",
            "admitted_at": "2026-12-03T10:00",
            "status": "admitted",
            "expected_discharge": "2026-12-10",
        },
    )
    assert response.status_code == 302, response.content.decode()
    episode = Episode.objects.get()
    assert episode.admitted_at == tokyo(2026, 12, 3, 10, 0)
    assert episode.discharge_contact_due == date(2026, 12, 7)
    assert client.get(f"/transitions/episodes/{episode.pk}/edit/").status_code == 200
