"""Requirement 4.1 (facility accounts): in the staff edit form, a region administrator or the
facility's municipality staff link the facility to an organisation of the region. Its members can
then confirm and update the entry after login; the staff pages show who that is."""

from __future__ import annotations

from renkei.core.models import Municipality, Organization, User
from renkei.directory.models import Facility
from tests.conftest import make_user
from tests.directory.search_fixtures import make_facility


def _form_data(client, facility, **changes):
    form = client.get(f"/facilities/{facility.pk}/edit/").context["form"]
    data = {
        name: ("" if value is None else value) for name, value in form.initial.items() if name != "services"
    }
    data.update(municipality=facility.municipality_id, **changes)
    return data


def _station(name, code):
    return Organization.objects.create(
        name=name,
        kind=Organization.Kind.VISITING_NURSE_STATION,
        municipality=Municipality.objects.get(code=code),
    )


def test_municipality_staff_link_their_facility_to_an_organisation_whose_nurse_then_updates_it(client, bob):
    facility = make_facility("五戸ナースステーション", "", "visiting_nurse_station", "024422")
    station = _station("五戸ナースステーション（法人）", "024422")
    nurse = make_user(
        "nurse", station, User.Role.PROFESSIONAL, profession=User.Profession.NURSE, full_name="五戸 ナース"
    )
    client.force_login(bob)

    response = client.post(
        f"/facilities/{facility.pk}/edit/", _form_data(client, facility, organization=station.pk)
    )

    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.organization == station
    page = client.get(f"/facilities/{facility.pk}/").content.decode()
    assert (
        "施設のアカウント: 五戸ナースステーション（法人）（五戸町）— ログインして更新できる職員: 五戸 ナース"
        in page
    )
    contacts = client.get(f"/staff/directory/facilities/{facility.pk}/contacts/").content.decode()
    assert "ログインして更新できる職員: 五戸 ナース" in contacts

    client.logout()
    client.force_login(nurse)
    assert "自施設の掲載情報を確認・更新" in client.get(f"/facilities/{facility.pk}/").content.decode()
    assert client.get(f"/facilities/{facility.pk}/update/").status_code == 200


def test_the_choice_is_limited_to_organisations_of_the_region(client, bob):
    facility = make_facility("五戸ナースステーション", "", "visiting_nurse_station", "024422")
    own = _station("八戸の訪問看護（同じ圏域）", "022039")
    elsewhere = Organization.objects.create(
        name="よその圏域の事業所",
        kind=Organization.Kind.VISITING_NURSE_STATION,
        municipality=Municipality.objects.create(code="011002", name="札幌市", prefecture="北海道"),
    )
    client.force_login(bob)

    choices = [
        str(label)
        for _, label in client.get(f"/facilities/{facility.pk}/edit/")
        .context["form"]
        .fields["organization"]
        .choices
    ]
    assert "八戸の訪問看護（同じ圏域）（八戸市）" in choices
    assert not any("よその圏域" in label for label in choices)

    response = client.post(
        f"/facilities/{facility.pk}/edit/", _form_data(client, facility, organization=elsewhere.pk)
    )

    assert response.status_code == 400
    assert "選べるのは同じ圏域の組織だけです。" in response.content.decode()
    assert Facility.objects.get(pk=facility.pk).organization_id is None
    assert own.pk  # listed above


def test_an_organisation_already_linked_to_another_facility_is_refused_in_japanese(client, alice):
    first = make_facility("はちのへ訪問看護 本店", "", "visiting_nurse_station", "022039")
    second = make_facility("はちのへ訪問看護 支店", "", "visiting_nurse_station", "022039")
    station = _station("はちのへ訪問看護（法人）", "022039")
    Facility.objects.filter(pk=first.pk).update(organization=station)
    client.force_login(alice)

    response = client.post(
        f"/facilities/{second.pk}/edit/", _form_data(client, second, organization=station.pk)
    )

    assert response.status_code == 400
    assert (
        "「はちのへ訪問看護（法人）」はすでに「はちのへ訪問看護 本店」のアカウントです。"
        in response.content.decode()
    )
