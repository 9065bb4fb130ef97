"""Who may do what: the one place that answers it.

Every page, API call, download and command asks these functions; views and templates never test
roles themselves. Everything is denied unless a rule below allows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from renkei.core.models import Municipality, Region, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


def _active(user: AnyUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def home_municipality(user: AnyUser | None) -> Municipality | None:
    """The municipality of the user's organisation."""
    if not _active(user) or user.organization_id is None:
        return None
    return user.organization.municipality


def home_region(user: AnyUser | None) -> Region | None:
    municipality = home_municipality(user)
    return municipality.region if municipality else None


def is_region_admin(user: AnyUser | None, region: Region | None = None) -> bool:
    """A 圏域管理者 of ``region`` (of any region when ``region`` is None)."""
    if not _active(user) or user.role != User.Role.REGION_ADMIN:
        return False
    own = home_region(user)
    return own is not None and (region is None or own.pk == region.pk)


def is_municipality_staff(user: AnyUser | None) -> bool:
    return _active(user) and user.role == User.Role.MUNICIPALITY_STAFF and home_municipality(user) is not None


def is_region_member(user: AnyUser | None, region: Region | None = None) -> bool:
    """Any logged-in person whose organisation lies in ``region`` (or in any region)."""
    own = home_region(user)
    return own is not None and (region is None or own.pk == region.pk)


def can_view_staff_area(user: AnyUser | None) -> bool:
    return is_region_member(user)


def can_manage_municipality(user: AnyUser | None, municipality: Municipality) -> bool:
    """Region administrators manage every municipality of their region; municipality staff their own."""
    if municipality.region_id is not None and is_region_admin(user, municipality.region):
        return True
    own = home_municipality(user)
    return is_municipality_staff(user) and own is not None and own.pk == municipality.pk


def can_add_municipality(user: AnyUser | None, region: Region) -> bool:
    return is_region_admin(user, region)


def managed_municipalities(user: AnyUser | None) -> QuerySet[Municipality]:
    """The municipalities whose records ``user`` may edit."""
    if is_region_admin(user):
        return Municipality.objects.filter(region=home_region(user))
    if is_municipality_staff(user):
        return Municipality.objects.filter(pk=home_municipality(user).pk)
    return Municipality.objects.none()


# --- directory ---


def can_view_professional_fields(user: AnyUser | None, facility) -> bool:
    """Direct lines, 連携窓口 and acceptance details are for the people of the facility's own region
    (asked per facility: a national directory lists other regions' facilities too)."""
    own = home_region(user)
    return own is not None and own.pk == facility.municipality.region_id


def can_edit_facility(user: AnyUser | None, facility) -> bool:
    return can_manage_municipality(user, facility.municipality)


def can_create_facility(user: AnyUser | None) -> bool:
    return managed_municipalities(user).exists()


# --- two-factor authentication and personal API tokens ---


def can_manage_own_two_factor(user: AnyUser | None) -> bool:
    """Everyone who logs in — region administrators, municipality staff, professionals — may set up TOTP."""
    return _active(user)


def can_manage_own_api_tokens(user: AnyUser | None) -> bool:
    """Any active person may hold personal API tokens; the pages also require a TOTP-verified session."""
    return _active(user)


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


# --- consultations ---
# A consultation desk (相談窓口) is an organisation of one of these kinds; its members are desk staff.
# Desk staff (professionals and municipality staff of the desk's organisation) see and record their
# own desk's consultations (summaries included). Statistics are counts only: municipality staff see
# the desks of their municipality, region administrators every desk of the region, other desk staff
# their own desk. A region administrator never reads summaries, even one whose organisation is a desk.
CONSULTATION_DESK_KINDS = ("community_support_center", "medical_association", "municipal_office")


def is_consultation_desk(organization) -> bool:
    return bool(
        organization is not None and organization.is_active and organization.kind in CONSULTATION_DESK_KINDS
    )


def consultation_desk_of(user: AnyUser | None):
    """The desk whose records ``user`` may read and write, or None (always None for a region
    administrator: they see counts only)."""
    if not _active(user) or user.organization_id is None or home_region(user) is None:
        return None
    if user.role == User.Role.REGION_ADMIN:
        return None
    return user.organization if is_consultation_desk(user.organization) else None


def can_record_consultations(user: AnyUser | None) -> bool:
    return consultation_desk_of(user) is not None


def can_view_consultation(user: AnyUser | None, consultation) -> bool:
    """Reading a record (its summary is personal data): staff of the desk that took it only."""
    desk = consultation_desk_of(user)
    return desk is not None and consultation.desk_id == desk.pk


def can_add_follow_up(user: AnyUser | None, consultation) -> bool:
    return can_view_consultation(user, consultation)


def can_edit_consultation(user: AnyUser | None, consultation) -> bool:
    """Correcting a record: staff of its desk."""
    return can_view_consultation(user, consultation)


def consultation_statistics_desks(user: AnyUser | None):
    """The desks whose counts ``user`` may see (an Organization queryset; empty when none)."""
    from renkei.core.models import Organization

    desks = Organization.objects.filter(kind__in=CONSULTATION_DESK_KINDS)
    if is_region_admin(user):
        return desks.filter(municipality__region=home_region(user))
    if is_municipality_staff(user):
        return desks.filter(municipality=home_municipality(user))
    own = consultation_desk_of(user)
    if own is not None:
        return desks.filter(pk=own.pk)
    return desks.none()


def consultation_statistics_municipalities(user: AnyUser | None) -> QuerySet[Municipality]:
    """The municipalities a user may choose as a whole on the statistics page."""
    if is_region_admin(user):
        return Municipality.objects.filter(region=home_region(user))
    if is_municipality_staff(user):
        return Municipality.objects.filter(pk=home_municipality(user).pk)
    return Municipality.objects.none()


def can_view_consultation_statistics(user: AnyUser | None) -> bool:
    return consultation_statistics_desks(user).exists()


def can_use_consultations(user: AnyUser | None) -> bool:
    return can_record_consultations(user) or can_view_consultation_statistics(user)


def can_import_consultations(user: AnyUser | None) -> bool:
    return can_record_consultations(user)


def can_manage_consultation_categories(user: AnyUser | None, region: Region | None = None) -> bool:
    return is_region_admin(user, region)


# --- directory import ---


def can_import_facilities(user: AnyUser | None) -> bool:
    """Region administrators and municipality staff load facility data (official open data, the
    Renkei template); each only for the municipalities they manage (:func:`managed_municipalities`)."""
    return is_region_admin(user) or is_municipality_staff(user)


# --- directory freshness ---
# Municipality staff look after the freshness of their municipality's entries, region administrators
# of every municipality of their region: dashboard, review of changes, history, update links.


def freshness_municipalities(user: AnyUser | None) -> QuerySet[Municipality]:
    """The municipalities whose freshness figures ``user`` sees."""
    return managed_municipalities(user)


def can_view_freshness_dashboard(user: AnyUser | None) -> bool:
    return is_region_admin(user) or is_municipality_staff(user)


def can_review_facility_change(user: AnyUser | None, change_request) -> bool:
    return can_manage_municipality(user, change_request.facility.municipality)


def can_view_facility_history(user: AnyUser | None, facility) -> bool:
    return can_manage_municipality(user, facility.municipality)


def can_restore_facility_version(user: AnyUser | None, facility) -> bool:
    return can_manage_municipality(user, facility.municipality)


def can_send_facility_update_link(user: AnyUser | None, facility) -> bool:
    """Also who manages a facility's contact e-mails."""
    return can_manage_municipality(user, facility.municipality)


def can_edit_freshness_policy(user: AnyUser | None, region: Region | None = None) -> bool:
    """The period and reminder times of a region are its administrators' choice."""
    return is_region_admin(user, region)


def can_update_own_facility(user: AnyUser | None, facility) -> bool:
    """Staff of the organisation a facility is linked to keep its entry current, as its update link does."""
    return (
        _active(user)
        and user.organization_id is not None
        and facility.organization_id == user.organization_id
    )
