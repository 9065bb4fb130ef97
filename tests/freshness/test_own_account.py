from __future__ import annotations

from django.utils import timezone

from renkei.core.models import Organization, User
from renkei.freshness.models import ChangeRequest
from tests.conftest import make_user
from tests.directory.search_fixtures import make_facility


def _station_staff(hachinohe):
    station = Organization.objects.create(
        name="みなと訪問看護ステーション",
        kind=Organization.Kind.VISITING_NURSE_STATION,
        municipality=hachinohe,
    )
    facility = make_facility(
        "みなと訪問看護ステーション", "", "visiting_nurse_station", "022039", organization=station
    )
    nurse = make_user("nurse", station, User.Role.PROFESSIONAL, email="nurse@example.invalid")
    return facility, nurse


def test_the_facility_own_staff_update_acceptance_after_login(client, hachinohe):
    facility, nurse = _station_staff(hachinohe)
    client.force_login(nurse)

    assert "自施設の掲載情報を確認・更新" in client.get(f"/facilities/{facility.pk}/").content.decode()
    form = client.get(f"/facilities/{facility.pk}/update/").context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update(acceptance_status="consult", name="みなと訪問看護ステーション 新館")
    response = client.post(f"/facilities/{facility.pk}/update/", data)

    assert response.status_code == 200
    facility.refresh_from_db()
    assert facility.acceptance_status == "consult"
    assert (facility.verified_by, facility.verified_via) == (nurse, "account")
    assert facility.name == "みなと訪問看護ステーション"
    assert ChangeRequest.objects.get().submitted_by == nurse
    assert facility.history.first().history_user == nurse


def test_the_facility_own_staff_confirm_unchanged(client, hachinohe):
    facility, nurse = _station_staff(hachinohe)
    client.force_login(nurse)

    client.post(f"/facilities/{facility.pk}/update/", {"action": "confirm"})

    facility.refresh_from_db()
    assert timezone.localdate(facility.verified_at) == timezone.localdate()
    assert facility.verified_by == nurse


def test_staff_of_another_organisation_cannot_update_the_facility(client, hachinohe, carol):
    facility, _ = _station_staff(hachinohe)
    client.force_login(carol)

    assert client.get(f"/facilities/{facility.pk}/update/").status_code == 403
    assert client.post(f"/facilities/{facility.pk}/update/", {"action": "confirm"}).status_code == 403
    facility.refresh_from_db()
    assert facility.verified_at is None
