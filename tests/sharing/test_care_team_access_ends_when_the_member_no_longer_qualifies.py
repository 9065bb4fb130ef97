"""A care-team membership is decided on every request, not only at the invitation: a member who
moves to another organisation loses the record at once (page and API token), their membership ends
with the reason on the team page and in the access log; a member whose organisation is inactive or
lies in another region sees nothing and hears nothing of the patient."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from renkei.core import permissions
from renkei.core.models import AccessLog, Organization, User
from renkei.core.tokens import issue_token
from renkei.sharing import services
from renkei.sharing.models import CareTeamMembership
from tests.core.totp import verified_login
from tests.sharing.conftest import add_member, give_consent, tiny_pdf, upload, write_post

REASON = "所属の変更によりチームから外れました"


@pytest.fixture
def team(cm, carol, patient):
    give_consent(patient, cm)
    membership = add_member(patient, cm, carol)
    post = write_post(patient, cm, "検査結果です。", uploads=[upload("result.pdf", tiny_pdf())])
    return membership, post


def _hospital(hachinohe) -> Organization:
    return Organization.objects.create(
        name="移った先の病院", kind=Organization.Kind.HOSPITAL, municipality=hachinohe
    )


def test_a_member_who_moves_loses_the_record_at_once_and_the_team_page_says_why(
    client, cm, carol, patient, team, hachinohe
):
    membership, post = team
    _, token = issue_token(carol, "連携ソフト")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(f"/api/v1/patients/{patient.pk}", **bearer).status_code == 200

    carol.organization = _hospital(hachinohe)
    carol.save()

    attachment = post.attachments.get()
    for url in (
        f"/api/v1/patients/{patient.pk}",
        f"/api/v1/patients/{patient.pk}/posts",
        f"/api/v1/patients/{patient.pk}/attachments/{attachment.pk}",
    ):
        assert client.get(url, **bearer).status_code == 403, url
    assert client.get("/api/v1/patients/", **bearer).json()["items"] == []
    membership.refresh_from_db()
    assert membership.left_at is not None
    assert membership.end_reason == CareTeamMembership.EndReason.ORGANIZATION_CHANGED
    row = AccessLog.objects.get(subject_id=str(patient.pk), object_type="membership", reason=REASON)
    assert (row.user, row.action, row.object_id) == (carol, AccessLog.Action.UPDATE, str(membership.pk))

    verified_login(client, cm)
    page = client.get(f"/patients/{patient.pk}/team/").content.decode()
    former = page.split("以前のメンバー", 1)[1]
    assert "八戸 キャロル" in former and REASON in former
    assert "テスト訪問看護ステーション" in former  # the organisation they were on the team for
    assert "移った先の病院" not in page


def test_a_move_saved_without_the_model_is_refused_on_the_next_request(
    client, carol, patient, team, hachinohe
):
    """The rule itself compares the organisations: even a change that bypasses the model's save
    (a bulk update, a database tool) ends the access before anyone records it."""
    User.objects.filter(pk=carol.pk).update(organization=_hospital(hachinohe))
    carol.refresh_from_db()
    assert not permissions.can_view_patient(carol, patient)
    assert permissions.current_membership(carol, patient) is None
    assert list(permissions.patients_visible_to(carol)) == []
    verified_login(client, carol)
    assert client.get(f"/patients/{patient.pk}/").status_code == 403


def test_members_of_an_inactive_organisation_are_neither_shown_the_record_nor_mailed_nor_invited(
    cm, carol, cm_colleague, patient, team
):
    Organization.objects.filter(pk=carol.organization_id).update(is_active=False)
    carol.refresh_from_db()
    assert not permissions.can_view_patient(carol, patient)
    assert carol not in [member.user for member in permissions.members_who_may_see(patient)]
    assert cm in [member.user for member in permissions.members_who_may_see(patient)]
    assert not permissions.can_join_care_team(carol, patient)
    assert carol not in permissions.invitable_users(patient)
    assert cm_colleague in permissions.invitable_users(patient)


def test_saving_an_account_without_a_move_ends_nothing(carol, patient, team):
    membership, _ = team
    carol.full_name = "八戸 キャロル（改姓）"
    carol.save()
    membership.refresh_from_db()
    assert membership.left_at is None
    assert services.end_memberships_after_a_move(carol) == 0
    assert permissions.can_view_patient(carol, patient)


@pytest.mark.django_db(transaction=True)
def test_upgrade_records_each_members_present_organisation_on_their_membership(
    region_data, cm, carol, patient
):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    before = [("sharing", "0003_notification_digest_claim")]
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        old.get_model("sharing", "CareTeamMembership").objects.create(
            patient_id=patient.pk, user_id=carol.pk, team_role="visiting_nurse", invited_by_id=cm.pk
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    rows = dict(CareTeamMembership.objects.values_list("user_id", "organization_id"))
    assert rows == {cm.pk: cm.organization_id, carol.pk: carol.organization_id}
    assert permissions.can_view_patient(carol, patient) is False  # no consent: as before
    assert permissions.can_view_patient(cm, patient)
