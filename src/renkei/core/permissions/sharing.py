"""Care-team sharing: who may see and change a patient's record."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeGuard

from django.db.models import F, QuerySet

from renkei.core.models import Region, User
from renkei.core.permissions.roles import _active, home_region, is_region_admin, is_region_member

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from renkei.sharing.models import CareTeamMembership, Patient

    AnyUser = User | AnonymousUser


# --- care-team sharing ---
# Only current care-team members see a patient: nobody else, region administrators included. Until
# consent is recorded only the registering organisation's members of the team see the record. A
# professional of the region may "break the glass" for a few hours with a written reason; such a
# reader only reads, and every read is flagged in the access log.
#
# A membership is decided again on every request, not only at the invitation: it counts while the
# member is active, still belongs to the organisation they joined with, that organisation is active
# and lies in the patient's region, and their role may have patients (:func:`qualifying`).


CARE_TEAM_ROLES = (User.Role.PROFESSIONAL, User.Role.MUNICIPALITY_STAFF)


def can_have_patients(user: AnyUser | None) -> TypeGuard[User]:
    """May be on a care team (and so register patients): professionals and municipal staff of an
    active organisation of the region."""
    return (
        _active(user)
        and is_region_member(user)
        and user.role in CARE_TEAM_ROLES
        and user.organization is not None
        and user.organization.is_active
    )


def can_register_patient(user: AnyUser | None) -> bool:
    return can_have_patients(user)


def _sharing() -> Any:
    from renkei.sharing import models as sharing_models

    return sharing_models


def qualifying(memberships: QuerySet[CareTeamMembership]) -> QuerySet[CareTeamMembership]:
    """The current memberships among ``memberships`` that still give access: the member is active
    and may have patients, still belongs to the organisation they joined with, and it is active and
    in the patient's region. (A member whose organisation is unknown or outside any region never
    qualifies: the comparisons with NULL are false.)"""
    return memberships.filter(
        left_at=None,
        user__is_active=True,
        user__role__in=CARE_TEAM_ROLES,
        user__organization_id=F("organization_id"),
        organization__is_active=True,
        organization__municipality__region_id=F("patient__organization__municipality__region_id"),
    )


def current_membership(user: AnyUser | None, patient: Patient) -> CareTeamMembership | None:
    """The user's membership of the patient's team, if it still gives access."""
    if not _active(user):
        return None
    return qualifying(_sharing().CareTeamMembership.objects.filter(patient=patient, user=user)).first()


def memberships_to_end_after_a_move(user: User) -> QuerySet[CareTeamMembership]:
    """The current memberships ``user`` joined with another organisation than their present one:
    they end when the change is saved (``renkei.sharing.services.end_memberships_after_a_move``)."""
    return (
        _sharing()
        .CareTeamMembership.objects.filter(user=user, left_at=None)
        .exclude(organization_id=user.organization_id)
    )


def can_break_glass(user: AnyUser | None, patient: Patient) -> bool:
    """Professionals of the patient's region, not administrators or municipal staff."""
    if not _active(user) or user.role != User.Role.PROFESSIONAL:
        return False
    region_id = patient.organization.municipality.region_id
    own = home_region(user)
    return region_id is not None and own is not None and own.pk == region_id


def sees_as_member(
    user_organization_id: int | None,
    patient_organization_id: int,
    team_role: str,
    consent_scope: list[str] | None,
) -> bool:
    """The consent-scope rule: a current member sees the record when they belong to the registering
    organisation, or when the consent in force (``consent_scope``; None: no consent) covers their
    team role. Every form below — one patient, a home list, a mail's recipients — asks this."""
    if user_organization_id == patient_organization_id:
        return True
    return consent_scope is not None and _sharing().covers(consent_scope, team_role)


def consent_scopes(patient_ids: list[int]) -> dict[int, list[str]]:
    """The scope (team roles; empty = everyone) of the consent in force, per patient that has one.
    The database allows one consent in force per patient; should there ever be more, the newest
    decides (the dict keeps the last row)."""
    return dict(
        _sharing()
        .Consent.objects.filter(patient__in=patient_ids, withdrawn_at=None)
        .order_by("recorded_at", "pk")
        .values_list("patient_id", "scope_roles")
    )


class PatientAccess:
    """What one person may do with one patient's record, worked out once (three queries at most).

    ``consented``: a consent is in force; ``in_scope``: it covers this member's team role.
    """

    def __init__(self, user: AnyUser | None, patient: Patient, now: datetime | None = None) -> None:
        from django.utils import timezone

        models = _sharing()
        self.member = self.same_organization = self.consented = self.in_scope = self.emergency = False
        if not can_have_patients(user):
            return
        self.same_organization = user.organization_id == patient.organization_id
        team_role = (
            qualifying(models.CareTeamMembership.objects.filter(patient=patient, user=user))
            .values_list("team_role", flat=True)
            .first()
        )
        if team_role is not None:
            self.member = True
            scope = consent_scopes([patient.pk]).get(patient.pk)
            self.consented = scope is not None
            self.in_scope = scope is not None and models.covers(scope, team_role)
        if not self.member_sees and can_break_glass(user, patient):
            now = now or timezone.now()
            self.emergency = models.EmergencyAccess.objects.filter(
                user=user, patient=patient, starts_at__lte=now, expires_at__gt=now, ended_at=None
            ).exists()
            if self.emergency and not self.member:
                # The emergency reader is told the real consent state, as a member is.
                self.consented = consent_scopes([patient.pk]).get(patient.pk) is not None

    @property
    def member_sees(self) -> bool:
        return self.member and (self.same_organization or self.in_scope)

    @property
    def can_view(self) -> bool:
        return self.member_sees or self.emergency

    @property
    def emergency_view(self) -> bool:
        """Sees the record only through break-the-glass: every read is flagged."""
        return self.emergency and not self.member_sees

    @property
    def can_post(self) -> bool:
        """Members who see the record write on its timeline; break-the-glass readers only read."""
        return self.member_sees

    @property
    def can_manage(self) -> bool:
        """The owner: members of the registering organisation who are on the team."""
        return self.member_sees and self.same_organization

    # The owner records consent, edits the record and sees who looked at it.
    can_record_consent = can_edit_patient = can_view_access_log = can_manage


def patient_access(user: AnyUser | None, patient: Patient, now: datetime | None = None) -> PatientAccess:
    return PatientAccess(user, patient, now)


def can_view_patient(user: AnyUser | None, patient: Patient, now: datetime | None = None) -> bool:
    return patient_access(user, patient, now).can_view


def members_who_may_see(patient: Patient) -> list[CareTeamMembership]:
    """The current members who see this patient's record (for mail about it), with their users."""
    scope = consent_scopes([patient.pk]).get(patient.pk)
    return [
        member
        for member in qualifying(_sharing().CareTeamMembership.objects.filter(patient=patient))
        .select_related("user", "user__organization")
        .order_by("joined_at", "pk")
        if sees_as_member(member.user.organization_id, patient.organization_id, member.team_role, scope)
    ]


def memberships_with_visibility(user: User, *fields: str) -> list[tuple[dict[str, Any], bool]]:
    """The user's current memberships as values (``patient_id``, ``team_role``, and ``fields``), each
    with whether the user sees that record: two queries whatever the number of teams."""
    rows = list(
        qualifying(_sharing().CareTeamMembership.objects.filter(user=user)).values(
            "patient_id", "team_role", "patient__organization_id", *fields
        )
    )
    scopes = consent_scopes([row["patient_id"] for row in rows])
    return [
        (
            row,
            sees_as_member(
                user.organization_id,
                row["patient__organization_id"],
                row["team_role"],
                scopes.get(row["patient_id"]),
            ),
        )
        for row in rows
    ]


def patients_visible_to(user: User) -> QuerySet[Patient]:
    """The patients whose record ``user`` sees as a care-team member: the patients this user may
    list (the home list's rule), ordered by reading and birth date."""
    ids = [row["patient_id"] for row, visible in memberships_with_visibility(user) if visible]
    return _sharing().Patient.objects.filter(pk__in=ids).order_by("kana_key", "birth_date", "pk")


def can_join_care_team(user: AnyUser | None, patient: Patient) -> bool:
    """Who may be invited: people of the patient's region who may have patients."""
    region_id = patient.organization.municipality.region_id
    own = home_region(user)
    return can_have_patients(user) and own is not None and own.pk == region_id


def invitable_users(patient: Patient) -> QuerySet[User]:
    """The people whom this patient's owner may invite (the queryset form of
    :func:`can_join_care_team`), current members left out."""
    return User.objects.filter(
        is_active=True,
        organization__is_active=True,
        organization__municipality__region_id=patient.organization.municipality.region_id,
        role__in=CARE_TEAM_ROLES,
    ).exclude(care_teams__patient=patient, care_teams__left_at=None)


def can_export_access_log(user: AnyUser | None, region: Region | None = None) -> bool:
    """Region administrators export the log for an audit; the export holds no record contents."""
    return is_region_admin(user, region)
