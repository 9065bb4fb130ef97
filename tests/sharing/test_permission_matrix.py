"""Every patient-data URL × every actor × consent given/withdrawn: allowed or denied, and every
allowed read leaves an access-log row (flagged for break-the-glass).

Four actors were invited when they qualified and no longer do: one moved to another organisation,
one whose organisation was marked inactive, one whose organisation now lies in another region, and
one whose role became one that has no patients. A membership gives nothing once its holder no
longer qualifies."""

from __future__ import annotations

import pytest

from renkei.core.models import AccessLog, Municipality, Organization, Region, User
from renkei.sharing import services
from renkei.sharing.models import CareTeamMembership
from renkei.transitions.models import SheetVersion
from tests.conftest import make_user
from tests.core.totp import verified_login
from tests.sharing.conftest import (
    add_member,
    break_glass,
    close_response,
    give_consent,
    old_form_sheet_post,
    register,
    tiny_pdf,
    upload,
    write_post,
)

# Who may read, by consent state. Everyone else is denied. A record whose consent was withdrawn is
# not opened by breaking the glass either.
ALLOWED = {
    "given": {"owner", "member", "break_glass"},
    "withdrawn": {"owner"},
}
ACTORS = [
    "anonymous",
    "owner",
    "member",
    "former_member",
    "same_org_non_member",
    "municipality_staff",
    "region_admin",
    "break_glass",
    "moved_member",
    "member_of_inactive_organization",
    "member_of_organization_in_another_region",
    "member_whose_role_has_no_patients",
]


def _members_who_no_longer_qualify(patient, cm, hachinohe) -> dict[str, User]:
    """Four members invited while they qualified, then changed as an administrator would."""
    people = {}
    for number, actor in enumerate(ACTORS[-4:]):
        organization = Organization.objects.create(
            name=f"訪問看護ステーション{number}",
            kind=Organization.Kind.VISITING_NURSE_STATION,
            municipality=hachinohe,
        )
        people[actor] = make_user(f"nurse{number}", organization, User.Role.PROFESSIONAL)
        add_member(patient, cm, people[actor])
    people["moved_member"].organization = Organization.objects.create(
        name="移った先の病院", kind=Organization.Kind.HOSPITAL, municipality=hachinohe
    )
    people["moved_member"].save()
    Organization.objects.filter(pk=people["member_of_inactive_organization"].organization_id).update(
        is_active=False
    )
    elsewhere = Region.objects.create(slug="aomori", name="青森圏域", short_name="青森", prefecture="青森県")
    aomori = Municipality.objects.create(code="022012", name="青森市", prefecture="青森県", region=elsewhere)
    Organization.objects.filter(pk=people["member_of_organization_in_another_region"].organization_id).update(
        municipality=aomori
    )
    without_patients = people["member_whose_role_has_no_patients"]
    without_patients.role = User.Role.REGION_ADMIN
    without_patients.save()
    return people


@pytest.fixture
def world(cm, cm_colleague, carol, bob, alice, er_doctor, hachinohe, request):
    consent_state = request.param
    patient = register(cm)
    consent = give_consent(patient, cm, scan=upload("同意書.pdf", tiny_pdf()))
    add_member(patient, cm, carol)
    other_station = Organization.objects.create(
        name="別の訪問看護ステーション", kind=Organization.Kind.VISITING_NURSE_STATION, municipality=hachinohe
    )
    former = make_user("former", other_station, User.Role.PROFESSIONAL, profession=User.Profession.NURSE)
    membership = add_member(patient, cm, former)
    services.end_membership(former, membership, CareTeamMembership.EndReason.LEFT)
    post = write_post(patient, cm, "検査結果を添付します。", uploads=[upload("result.pdf", tiny_pdf())])
    sheet_post = old_form_sheet_post(patient, cm)  # written with the retired fixed form
    if consent_state == "withdrawn":
        services.withdraw_consent(cm, patient, "家族から撤回の申し出")
        with pytest.raises(services.SharingError):
            break_glass(er_doctor, patient)
    else:
        break_glass(er_doctor, patient)
    no_longer = _members_who_no_longer_qualify(patient, cm, hachinohe)
    actors = {
        **no_longer,
        "anonymous": None,
        "owner": cm,
        "member": carol,
        "former_member": former,
        "same_org_non_member": cm_colleague,
        "municipality_staff": bob,
        "region_admin": alice,
        "break_glass": er_doctor,
    }
    attachment = post.attachments.get()
    pk = patient.pk
    urls = {
        f"/patients/{pk}/": "page",
        f"/patients/{pk}/team/": "page",
        f"/patients/{pk}/attachments/{attachment.pk}/": "page",
        f"/patients/{pk}/posts/{sheet_post.pk}/sheet.pdf": "page",
        f"/patients/{pk}/consent/{consent.pk}/scan/": "page",
        f"/api/v1/patients/{pk}": "api",
        f"/api/v1/patients/{pk}/posts": "api",
        f"/api/v1/patients/{pk}/posts/{post.pk}": "api",
        f"/api/v1/patients/{pk}/team": "api",
        f"/api/v1/patients/{pk}/attachments/{attachment.pk}": "api",
    }
    return consent_state, patient, actors, urls


# Who may write on the timeline, so is sent from the retired sheet form's address to the defined sheet.
WRITERS = {"given": {"owner", "member"}, "withdrawn": {"owner"}}

READ_ACTIONS = [AccessLog.Action.VIEW, AccessLog.Action.DOWNLOAD, AccessLog.Action.PRINT]


def _logged_in(client, world, actor):
    """The world's consent state, patient, ``actor``'s user (logged in with the second factor; ``None``
    for the anonymous visitor) and the URLs."""
    consent_state, patient, actors, urls = world
    user = actors[actor]
    if user is not None:
        verified_login(client, user)
    return consent_state, patient, user, urls


def _reads(user, patient):
    return AccessLog.objects.filter(
        user=user, subject_type="patient", subject_id=str(patient.pk), action__in=READ_ACTIONS
    )


@pytest.mark.parametrize("world", ["given", "withdrawn"], indirect=True)
@pytest.mark.parametrize("actor", ACTORS)
def test_only_current_members_and_break_glass_users_read_patient_data(client, world, actor):
    consent_state, patient, user, urls = _logged_in(client, world, actor)
    allowed = actor in ALLOWED[consent_state]
    for url, kind in urls.items():
        before = _reads(user, patient).count() if user else 0
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, (url, response.status_code)
            assert "no-store" in response["Cache-Control"], url
            rows = _reads(user, patient)
            assert rows.count() == before + 1, url
            assert rows.order_by("-pk").first().flagged is (actor == "break_glass"), url
        elif user is None:
            assert response.status_code == (401 if kind == "api" else 302), (url, response.status_code)
        else:
            assert response.status_code == 403, (url, response.status_code)
            assert _reads(user, patient).count() == 0, url
        close_response(response)


@pytest.mark.parametrize("world", ["given", "withdrawn"], indirect=True)
@pytest.mark.parametrize("actor", ACTORS)
def test_the_old_sheet_address_sends_writers_on_and_refuses_the_rest(client, world, actor):
    consent_state, patient, user, _ = _logged_in(client, world, actor)
    version = SheetVersion.objects.get(definition__region__slug="hachinohe", status="published")
    response = client.get(f"/patients/{patient.pk}/sheets/new/")
    if actor in WRITERS[consent_state]:
        assert response.status_code == 302
        assert response["Location"] == f"/transitions/patients/{patient.pk}/sheets/{version.pk}/new/"
    elif user is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 403
        assert AccessLog.objects.filter(
            user=user, subject_id=str(patient.pk), action=AccessLog.Action.DENIED
        ).exists()


@pytest.mark.parametrize("world", ["given"], indirect=True)
def test_member_without_the_second_factor_reads_nothing(client, world):
    _, patient, actors, urls = world
    client.force_login(actors["member"])  # password only, no TOTP code yet
    for url, kind in urls.items():
        response = client.get(url)
        if kind == "api":
            assert response.status_code == 403, url
            assert response.json()["error"]["code"] == "otp_required"
        else:
            assert response.status_code == 302, url
            assert "/accounts/2fa/" in response["Location"]
    response = client.get(f"/patients/{patient.pk}/sheets/new/")  # the old sheet address, too
    assert response.status_code == 302
    assert "/accounts/2fa/" in response["Location"]
    assert _reads(actors["member"], patient).count() == 0
