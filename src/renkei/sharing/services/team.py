"""The care team: who is on it, inviting people of the region, leaving and removing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, User
from renkei.core.text import normalize
from renkei.sharing.models import CareTeamMembership, NotificationPreference, Patient, TeamRole
from renkei.sharing.services._common import SharingError, log, patient_for
from renkei.sharing.services.notifications import mail, site_url

LAST_OWNER_MEMBER = (
    "登録した組織の最後のメンバーはチームから外れられません。先に同じ組織の担当者を招待してください。"
)


def current_members(patient: Patient) -> QuerySet[CareTeamMembership]:
    return (
        CareTeamMembership.objects.filter(patient=patient, left_at=None)
        .select_related("user", "user__organization", "organization")
        .order_by("joined_at", "pk")
    )


def care_team(
    actor: User, patient: Patient, access: permissions.PatientAccess | None = None
) -> tuple[QuerySet[CareTeamMembership], QuerySet[CareTeamMembership]]:
    """The current and the former members of the patient's team, as ``actor`` reads them (logged)."""
    log(actor, patient, AccessLog.Action.VIEW, "care_team", patient.pk, access=access)
    former = (
        CareTeamMembership.objects.filter(patient=patient)
        .exclude(left_at=None)
        .select_related("user", "user__organization", "organization")
        .order_by("-left_at")
    )
    return current_members(patient), former


def _profession_codes(query: str) -> list[str]:
    key = normalize(query)
    return [code for code, label in User.Profession.choices if key and key in normalize(str(label))]


def search_invitees(actor: User, patient: Patient, query: str, limit: int = 20) -> list[User]:
    """People whom the owner may invite (:func:`renkei.core.permissions.invitable_users`), matched
    by name, kana, organisation or profession."""
    key = normalize(query).replace(" ", "")
    if not key:
        return []
    candidates = (
        permissions.invitable_users(patient).select_related("organization").order_by("full_name_kana", "pk")
    )
    professions = set(_profession_codes(query))
    found = []
    for candidate in candidates.iterator():
        text = normalize(f"{candidate.full_name}{candidate.full_name_kana}").replace(" ", "")
        organization_text = candidate.organization.search_text if candidate.organization else ""
        if key in text or key in organization_text.replace(" ", "") or candidate.profession in professions:
            found.append(candidate)
            if len(found) >= limit:
                break
    return found


def invite(actor: User, patient: Patient, invitee: User, team_role: str) -> CareTeamMembership:
    if not permissions.can_join_care_team(invitee, patient):
        raise SharingError(
            "この方はケアチームに招待できません（圏域内の専門職・市町村職員のみ招待できます）。"
        )
    if team_role not in TeamRole.values:
        raise SharingError("チームでの役割を選んでください。")
    try:
        with transaction.atomic():
            membership = CareTeamMembership.objects.create(
                patient=patient,
                user=invitee,
                organization_id=invitee.organization_id,
                team_role=team_role,
                invited_by=actor,
                invitation_unseen=invitee.pk != actor.pk,
            )
            log(actor, patient, AccessLog.Action.CREATE, "membership", membership.pk)
    except IntegrityError:
        raise SharingError("この方はすでにケアチームの一員です。") from None
    _notify_invitee(invitee)
    return membership


def _notify_invitee(invitee: User) -> None:
    """The invitation is on the invitee's list and start page (``invitation_unseen``); by mail as
    their setting for posts says: at once, in the day's digest, or not at all. The mail names
    neither the patient nor who invited."""
    # Read, not created: a preference row starts its digest window when it is made.
    mode = NotificationPreference.objects.filter(user=invitee).values_list("mode", flat=True).first()
    if (
        not invitee.email
        or (mode or NotificationPreference.Mode.IMMEDIATE) != NotificationPreference.Mode.IMMEDIATE
    ):
        return
    message = mail("invitation", [invitee.email], url=site_url("sharing:home"))
    transaction.on_commit(lambda: send_mass_mail([message], fail_silently=True))


def mark_invitation_seen(actor: User, patient: Patient) -> None:
    """The invitee opened the record: the invitation is no longer new."""
    CareTeamMembership.objects.filter(
        patient=patient, user=actor, left_at=None, invitation_unseen=True
    ).update(invitation_unseen=False)


def _owner_members_left(patient: Patient, excluding: CareTeamMembership) -> bool:
    return (
        permissions.qualifying(
            CareTeamMembership.objects.filter(patient=patient, organization_id=patient.organization_id)
        )
        .exclude(pk=excluding.pk)
        .exists()
    )


@transaction.atomic
def end_membership(actor: User, membership: CareTeamMembership, reason: str) -> None:
    """A member leaves, or the owner removes one. The registering organisation keeps at least one
    member, so the record always has someone who manages it.

    The patient's row is locked first: two last owner members leaving at the same moment are
    decided one after the other, and the second finds that the first has gone."""
    patient = membership.patient
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    membership.refresh_from_db(fields=["left_at"])
    if membership.left_at is not None:
        raise SharingError("この方はすでにケアチームから外れています。", code="already_left", status=409)
    if membership.user.organization_id == patient.organization_id and not _owner_members_left(
        patient, membership
    ):
        raise SharingError(LAST_OWNER_MEMBER, code="last_owner_member", status=409)
    log(actor, patient, AccessLog.Action.UPDATE, "membership", membership.pk)
    membership.left_at = timezone.now()
    membership.end_reason = reason
    membership.save(update_fields=["left_at", "end_reason"])


def remove_member(actor: User, patient_id: int, membership_id: int) -> CareTeamMembership:
    """The owner takes a current member off the team."""
    patient, _ = patient_for(actor, patient_id, "can_manage")
    membership = get_object_or_404(CareTeamMembership, pk=membership_id, patient=patient, left_at=None)
    end_membership(actor, membership, CareTeamMembership.EndReason.REMOVED)
    return membership


def leave_team(actor: User, patient: Patient) -> CareTeamMembership:
    """``actor`` leaves the patient's team; refused unless they are on it."""
    membership = permissions.current_membership(actor, patient)
    if membership is None:
        raise PermissionDenied
    end_membership(actor, membership, CareTeamMembership.EndReason.LEFT)
    return membership


def end_membership_by_id(actor: User, patient_id: int, membership_id: int) -> CareTeamMembership:
    """Leave the team (one's own membership) or, as the owner, remove a member. Who may ask is
    decided on the patient first, so a stranger learns nothing about membership ids."""
    patient = get_object_or_404(Patient.objects.select_related("organization__municipality"), pk=patient_id)
    access = permissions.patient_access(actor, patient)
    membership: CareTeamMembership | None
    if access.can_manage:
        membership = get_object_or_404(CareTeamMembership, pk=membership_id, patient=patient, left_at=None)
    else:
        membership = permissions.current_membership(actor, patient)
        if membership is None or membership.pk != membership_id:
            log(actor, patient, AccessLog.Action.DENIED, access=access)
            raise PermissionDenied
    if membership.user_id == actor.pk:
        reason = CareTeamMembership.EndReason.LEFT
    else:
        reason = CareTeamMembership.EndReason.REMOVED
    end_membership(actor, membership, reason)
    return membership


@transaction.atomic
def end_memberships_after_a_move(member: User) -> int:
    """Called whenever an account is saved (``post_save``, so the admin, a command or any future
    page alike): every current membership ``member`` joined with another organisation than their
    present one ends at once, and each end is logged on the patient's record with the reason.

    The access itself already ended with the change (the permission rule compares the two
    organisations on every request); this records it. The row names the member, as when they
    leave: nobody else acted on the record. Returns how many memberships ended."""
    ended = list(permissions.memberships_to_end_after_a_move(member).select_related("patient"))
    if not ended:
        return 0
    now = timezone.now()
    for membership in ended:
        record_access(
            member,
            action=AccessLog.Action.UPDATE,
            subject_type="patient",
            subject_id=membership.patient_id,
            object_type="membership",
            object_id=membership.pk,
            reason=str(CareTeamMembership.EndReason.ORGANIZATION_CHANGED.label),
        )
    CareTeamMembership.objects.filter(pk__in=[membership.pk for membership in ended]).update(
        left_at=now, end_reason=CareTeamMembership.EndReason.ORGANIZATION_CHANGED
    )
    return len(ended)


def end_memberships_on_user_save(sender, instance: User, created: bool = False, **kwargs) -> None:
    """``post_save`` receiver for the user model (see :func:`end_memberships_after_a_move`)."""
    update_fields = kwargs.get("update_fields")
    if created or kwargs.get("raw") or (update_fields is not None and "organization" not in update_fields):
        return
    end_memberships_after_a_move(instance)
