"""Care-team sharing: who may see and change a patient's record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from renkei.core.models import Region, User
from renkei.core.permissions.roles import _active, home_region, is_region_admin, is_region_member

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


# --- care-team sharing ---
# Only current care-team members see a patient: nobody else, region administrators included. Until
# consent is recorded only the registering organisation's members of the team see the record. A
# professional of the region may "break the glass" for a few hours with a written reason; such a
# reader only reads, and every read is flagged in the access log.


def can_have_patients(user: AnyUser | None) -> bool:
    """May be on a care team (and so register patients): professionals and municipal staff."""
    return is_region_member(user) and user.role in (User.Role.PROFESSIONAL, User.Role.MUNICIPALITY_STAFF)


def can_register_patient(user: AnyUser | None) -> bool:
    return can_have_patients(user)


def _sharing():
    from renkei.sharing import models as sharing_models

    return sharing_models


def current_membership(user: AnyUser | None, patient):
    if not _active(user):
        return None
    return _sharing().CareTeamMembership.objects.filter(patient=patient, user=user, left_at=None).first()


def can_break_glass(user: AnyUser | None, patient) -> bool:
    """Professionals of the patient's region, not administrators or municipal staff."""
    if not _active(user) or user.role != User.Role.PROFESSIONAL:
        return False
    region_id = patient.organization.municipality.region_id
    own = home_region(user)
    return region_id is not None and own is not None and own.pk == region_id


class PatientAccess:
    """What one person may do with one patient's record, worked out once (three queries at most).

    ``consented``: a consent is in force; ``in_scope``: it covers this member's team role.
    """

    def __init__(self, user: AnyUser | None, patient, now=None):
        from django.utils import timezone

        models = _sharing()
        self.member = self.same_organization = self.consented = self.in_scope = self.emergency = False
        if not can_have_patients(user):
            return
        self.same_organization = user.organization_id == patient.organization_id
        team_role = (
            models.CareTeamMembership.objects.filter(patient=patient, user=user, left_at=None)
            .values_list("team_role", flat=True)
            .first()
        )
        if team_role is not None:
            self.member = True
            scope = (
                models.Consent.objects.filter(patient=patient, withdrawn_at=None)
                .values_list("scope_roles", flat=True)
                .first()
            )
            self.consented = scope is not None
            self.in_scope = self.consented and models.covers(scope, team_role)
        if not self.member_sees and can_break_glass(user, patient):
            now = now or timezone.now()
            self.emergency = models.EmergencyAccess.objects.filter(
                user=user, patient=patient, starts_at__lte=now, expires_at__gt=now, ended_at=None
            ).exists()

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


def patient_access(user: AnyUser | None, patient, now=None) -> PatientAccess:
    return PatientAccess(user, patient, now)


def can_view_patient(user: AnyUser | None, patient, now=None) -> bool:
    return patient_access(user, patient, now).can_view


def can_post(user: AnyUser | None, patient) -> bool:
    return patient_access(user, patient).can_post


def can_manage_team(user: AnyUser | None, patient) -> bool:
    return patient_access(user, patient).can_manage


def can_view_access_log(user: AnyUser | None, patient) -> bool:
    """The owner's "who looked at this record" page."""
    return patient_access(user, patient).can_view_access_log


def can_join_care_team(user: AnyUser | None, patient) -> bool:
    """Who may be invited: people of the patient's region who may have patients."""
    region_id = patient.organization.municipality.region_id
    return can_have_patients(user) and home_region(user).pk == region_id


def can_export_access_log(user: AnyUser | None, region: Region | None = None) -> bool:
    """Region administrators export the log for an audit; the export holds no record contents."""
    return is_region_admin(user, region)
