"""消防・警察への提供: a named fire account reads the kit of consenting residents of the municipalities
that granted its agency access, and nothing else; withdrawal and the end of a grant end it on the
next request; every read is logged and shown to the owners.

三戸町 granted the テスト消防本部. 架空 松子 (三戸町) consented; 架空 竹子 (三戸町) did not; 架空 梅子
(五戸町) consented, but 五戸町 granted nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from renkei.continuity.models import AgencyGrant
from renkei.continuity.services import emergency_services as services
from renkei.core import navigation, permissions
from renkei.core.models import AccessLog, Municipality, Organization, User
from renkei.sharing.models import Patient
from tests.conftest import make_user
from tests.core.totp import verified_login
from tests.sharing.conftest import register

SANNOHE, GONOHE = "024414", "024422"


def _consent(actor: User, patient: Patient):
    return services.record_emergency_services_consent(
        actor,
        patient,
        {"given_by": "本人", "relationship": "本人", "given_on": date(2026, 11, 1), "method": "written"},
    )


@pytest.fixture
def sannohe_staff(db) -> User:
    office = Organization.objects.create(
        name="テスト三戸町役場",
        kind=Organization.Kind.MUNICIPAL_OFFICE,
        municipality=Municipality.objects.get(code=SANNOHE),
    )
    return make_user("sannohe", office, User.Role.MUNICIPALITY_STAFF, full_name="三戸 職員")


@pytest.fixture
def gonohe_staff(db) -> User:
    office = Organization.objects.create(
        name="テスト五戸町役場",
        kind=Organization.Kind.MUNICIPAL_OFFICE,
        municipality=Municipality.objects.get(code=GONOHE),
    )
    return make_user("gonohe", office, User.Role.MUNICIPALITY_STAFF, full_name="五戸 職員")


@pytest.fixture
def fire_department(hachinohe) -> Organization:
    return Organization.objects.create(
        name="テスト消防本部", kind=Organization.Kind.FIRE_DEPARTMENT, municipality=hachinohe
    )


@pytest.fixture
def firefighter(fire_department) -> User:
    return make_user("fire1", fire_department, User.Role.EMERGENCY_SERVICES, full_name="消防 一郎")


@pytest.fixture
def residents(cm) -> dict[str, Patient]:
    sannohe, gonohe = Municipality.objects.get(code=SANNOHE), Municipality.objects.get(code=GONOHE)
    matsu = register(
        cm, full_name="架空 松子", full_name_kana="かくう まつこ", municipality=sannohe, address="大字川守田1"
    )
    take = register(
        cm, full_name="架空 竹子", full_name_kana="かくう たけこ", municipality=sannohe, address="大字川守田2"
    )
    ume = register(
        cm, full_name="架空 梅子", full_name_kana="かくう うめこ", municipality=gonohe, address="大字倉石3"
    )
    _consent(cm, matsu)
    _consent(cm, ume)
    return {"matsu": matsu, "take": take, "ume": ume}


@pytest.fixture
def grant(sannohe_staff, fire_department) -> AgencyGrant:
    return services.grant_agency_access(
        sannohe_staff,
        Municipality.objects.get(code=SANNOHE),
        fire_department,
        timezone.now() - timedelta(days=1),
    )


def _kit(client, patient: Patient):
    return client.get(reverse("continuity:agency_kit", args=[patient.pk]))


def _search(client, q: str):
    return client.get(reverse("continuity:agency_search"), {"q": q})


def test_the_agency_finds_and_reads_only_consenting_residents_of_granted_municipalities(
    client, firefighter, residents, grant
):
    verified_login(client, firefighter)
    response = _search(client, "かくう")
    assert response.status_code == 200
    assert [row.patient.full_name for row in response.context["found"]] == ["架空 松子"]
    assert [row.patient.full_name for row in _search(client, "川守田").context["found"]] == ["架空 松子"]
    page = _kit(client, residents["matsu"])
    assert page.status_code == 200
    assert "架空 松子" in page.content.decode() and "大字川守田1" in page.content.decode()
    assert _kit(client, residents["take"]).status_code == 404  # no consent
    assert _kit(client, residents["ume"]).status_code == 404  # 五戸町 granted nothing


def test_withdrawal_ends_access_on_the_next_request(client, cm, firefighter, residents, grant):
    verified_login(client, firefighter)
    assert _kit(client, residents["matsu"]).status_code == 200
    services.withdraw_emergency_services_consent(cm, residents["matsu"])
    assert _kit(client, residents["matsu"]).status_code == 404
    assert _search(client, "まつこ").context["found"] == []


def test_the_end_of_a_grant_ends_access_on_the_next_request(
    client, sannohe_staff, firefighter, residents, grant
):
    verified_login(client, firefighter)
    assert _kit(client, residents["matsu"]).status_code == 200
    response = client.post(reverse("continuity:grant_end", args=[grant.pk]))
    assert response.status_code == 403  # the agency cannot end (or make) grants
    services.end_grant(sannohe_staff, grant.pk)
    assert _kit(client, residents["matsu"]).status_code == 404


def test_a_grant_counts_only_between_its_start_and_its_end(
    sannohe_staff, fire_department, firefighter, residents
):
    sannohe = Municipality.objects.get(code=SANNOHE)
    now = timezone.now()
    services.grant_agency_access(sannohe_staff, sannohe, fire_department, now + timedelta(hours=1))
    assert not permissions.can_read_kit_as_agency(firefighter, residents["matsu"])
    assert permissions.can_read_kit_as_agency(firefighter, residents["matsu"], now + timedelta(hours=2))
    services.grant_agency_access(
        sannohe_staff, sannohe, fire_department, now - timedelta(days=10), now - timedelta(days=5)
    )
    assert permissions.can_read_kit_as_agency(firefighter, residents["matsu"], now - timedelta(days=6))
    assert not permissions.can_read_kit_as_agency(firefighter, residents["matsu"], now - timedelta(days=4))


def test_a_deactivated_account_or_agency_reads_nothing(firefighter, fire_department, residents, grant):
    assert permissions.can_read_kit_as_agency(firefighter, residents["matsu"])
    fire_department.is_active = False
    fire_department.save()
    firefighter.refresh_from_db()
    assert not permissions.can_read_kit_as_agency(firefighter, residents["matsu"])


def test_the_agency_reaches_no_other_page_nor_the_api(client, firefighter, residents, grant):
    verified_login(client, firefighter)
    matsu = residents["matsu"]
    for url in [
        reverse("sharing:patient", args=[matsu.pk]),
        reverse("sharing:home"),
        reverse("sharing:emergency"),
        reverse("continuity:path", args=[matsu.pk]),
        reverse("continuity:kit_pdf", args=[matsu.pk]),
        reverse("continuity:acp", args=[matsu.pk]),
        reverse("continuity:emergency_services", args=[matsu.pk]),
        reverse("continuity:agencies"),
        reverse("continuity:rotas"),
        reverse("continuity:cover"),
    ]:
        assert client.get(url).status_code in (403, 404), url
    for url in ["/api/v1/patients/", f"/api/v1/patients/{matsu.pk}", f"/api/v1/patients/{matsu.pk}/posts"]:
        assert client.get(url).status_code in (401, 403, 404), url
    assert client.get(reverse("staff:home")).url == reverse("continuity:agency_search")
    assert [item.label for item in navigation.items_for(firefighter)] == [
        "救急医療情報キットの閲覧",
        "2段階認証",
    ]
    assert not permissions.can_manage_own_api_tokens(firefighter)
    assert not permissions.can_have_patients(firefighter)
    assert not permissions.can_break_glass(firefighter, matsu)


def test_the_agency_page_needs_the_second_factor(client, firefighter, residents, grant):
    client.force_login(firefighter)
    response = _kit(client, residents["matsu"])
    assert response.status_code == 302 and "/accounts/2fa/" in response.url
    assert not AccessLog.objects.filter(user=firefighter, object_type="emergency_services_kit").exists()


def test_every_read_is_logged_and_shown_to_the_owner_and_the_municipality(
    client, cm, sannohe_staff, firefighter, residents, grant
):
    verified_login(client, firefighter)
    _search(client, "まつこ")
    _kit(client, residents["matsu"])
    matsu = residents["matsu"]
    rows = AccessLog.objects.filter(user=firefighter, subject_type="patient", subject_id=str(matsu.pk))
    assert sorted(rows.values_list("object_type", flat=True)) == [
        "emergency_services_kit",
        "emergency_services_search",
    ]
    assert set(rows.values_list("object_id", flat=True)) == {str(grant.pk)}
    assert AccessLog.objects.filter(user=firefighter, action=AccessLog.Action.DENIED).count() == 0

    client.logout()
    verified_login(client, cm)
    page = client.get(reverse("continuity:emergency_services", args=[matsu.pk]))
    assert page.status_code == 200
    assert [(row.user.full_name, row.object_type) for row in page.context["reads"]] == [
        ("消防 一郎", "emergency_services_kit"),
        ("消防 一郎", "emergency_services_search"),
    ]
    assert "救急医療情報キット（消防・警察の閲覧）" in page.content.decode()

    client.logout()
    verified_login(client, sannohe_staff)
    page = client.get(reverse("continuity:agencies"))
    assert page.status_code == 200
    ((municipality, rows_shown),) = page.context["reads"]
    assert municipality.code == SANNOHE
    assert [row.subject_id for row in rows_shown] == [str(matsu.pk), str(matsu.pk)]
    assert f"利用者 #{matsu.pk}" in page.content.decode()


def test_only_the_owner_records_or_withdraws_the_consent(cm, sannohe_staff, firefighter, residents):
    for someone in (sannohe_staff, firefighter):
        with pytest.raises(PermissionDenied):
            _consent(someone, residents["take"])
        with pytest.raises(PermissionDenied):
            services.withdraw_emergency_services_consent(someone, residents["matsu"])
    with pytest.raises(services.ContinuityError):
        _consent(cm, residents["matsu"])  # one in force at a time


def test_the_owner_records_and_withdraws_on_the_page(client, cm, residents):
    verified_login(client, cm)
    take = residents["take"]
    url = reverse("continuity:emergency_services", args=[take.pk])
    response = client.post(
        url, {"given_by": "架空 竹子", "relationship": "本人", "given_on": "2026-11-20", "method": "oral"}
    )
    assert response.status_code == 302
    assert services.consent_in_force(take).given_by == "架空 竹子"
    client.post(url, {"action": "withdraw"})
    assert services.consent_in_force(take) is None
    assert take.emergency_services_consents.get().withdrawn_by == cm


def test_a_municipality_grants_only_for_its_own_residents(gonohe_staff, sannohe_staff, fire_department):
    sannohe = Municipality.objects.get(code=SANNOHE)
    with pytest.raises(PermissionDenied):
        services.grant_agency_access(gonohe_staff, sannohe, fire_department)
    clinic = Organization.objects.create(
        name="テスト診療所", kind=Organization.Kind.CLINIC, municipality=sannohe
    )
    with pytest.raises(PermissionDenied):
        services.grant_agency_access(sannohe_staff, sannohe, clinic)  # not an agency
    grant = services.grant_agency_access(sannohe_staff, sannohe, fire_department)
    with pytest.raises(PermissionDenied):
        services.end_grant(gonohe_staff, grant.pk)


def test_municipality_staff_create_a_named_account_on_the_page(client, sannohe_staff, fire_department):
    verified_login(client, sannohe_staff)
    response = client.post(
        reverse("continuity:agencies"),
        {"form": "account", "account-agency": fire_department.pk, "account-full_name": "消防 二郎",
         "account-full_name_kana": "しょうぼう じろう", "account-username": "fire2",
         "account-email": "fire2@example.invalid"},
    )  # fmt: skip
    assert response.status_code == 302
    account = User.objects.get(username="fire2")
    assert (account.role, account.organization, account.full_name) == (
        User.Role.EMERGENCY_SERVICES, fire_department, "消防 二郎",
    )  # fmt: skip
    assert account.has_usable_password()  # so that the person can set their own through password reset
    client.post(reverse("continuity:account_deactivate", args=[account.pk]))
    account.refresh_from_db()
    assert not account.is_active


def test_a_professional_cannot_manage_agencies(cm, fire_department):
    assert not permissions.can_manage_agencies(cm)
    with pytest.raises(PermissionDenied):
        services.create_agency_account(
            cm, fire_department, {"username": "x", "full_name": "x", "email": "x@example.invalid"}
        )


def test_an_agency_account_belongs_to_a_fire_department_or_police_station(care_office):
    user = User(username="wrong", role=User.Role.EMERGENCY_SERVICES, organization=care_office)
    with pytest.raises(ValidationError):
        user.clean()
