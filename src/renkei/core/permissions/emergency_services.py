"""消防・警察 (三戸町's 要援護者台帳): named accounts of a 消防本部 or 警察署 read the 救急医療情報キット
of the residents who consented to that purpose, in the municipalities that granted their agency
access — and nothing else in Renkei.

Decided on every request: the account is active and still of an active agency; a grant of the
resident's municipality to that agency has started and not ended; the resident's consent to
消防・警察への提供 is in force. Withdrawal or the end of a grant ends access on the next request.
An agency account has no home municipality (:func:`renkei.core.permissions.roles.home_municipality`),
so every other area's rules, built on the home region, deny it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeGuard

from django.db.models import Q, QuerySet
from django.utils import timezone

from renkei.core.models import Municipality, Organization, User
from renkei.core.permissions.roles import (
    _active,
    can_manage_municipality,
    home_region,
    is_municipality_staff,
    is_region_admin,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from renkei.continuity.models import AgencyGrant
    from renkei.core.permissions.sharing import PatientAccess
    from renkei.sharing.models import Patient

    AnyUser = User | AnonymousUser

AGENCY_KINDS = (Organization.Kind.FIRE_DEPARTMENT, Organization.Kind.POLICE_STATION)


def _models() -> Any:
    from renkei.continuity import models

    return models


def is_emergency_services(user: AnyUser | None) -> TypeGuard[User]:
    """A named 消防・警察 account of an active agency."""
    return bool(
        _active(user)
        and user.role == User.Role.EMERGENCY_SERVICES
        and user.organization is not None
        and user.organization.is_active
        and user.organization.kind in AGENCY_KINDS
    )


def grants_in_force(agency: Organization | None, now: datetime | None = None) -> QuerySet[AgencyGrant]:
    """The grants to ``agency`` that have started and not ended at ``now``."""
    now = now or timezone.now()
    if agency is None:
        return _models().AgencyGrant.objects.none()
    return _models().AgencyGrant.objects.filter(
        Q(ends_at=None) | Q(ends_at__gt=now), agency=agency, starts_at__lte=now
    )


def kits_visible_to_agency(user: AnyUser | None, now: datetime | None = None) -> QuerySet[Patient]:
    """The residents whose kit ``user`` may read: consent in force, municipality granted now."""
    from renkei.sharing.models import Patient

    if not is_emergency_services(user):
        return Patient.objects.none()
    municipalities = grants_in_force(user.organization, now).values("municipality_id")
    consented = _models().EmergencyServicesConsent.objects.filter(withdrawn_at=None).values("patient_id")
    return Patient.objects.filter(municipality_id__in=municipalities, pk__in=consented)


def can_read_kit_as_agency(user: AnyUser | None, patient: Patient, now: datetime | None = None) -> bool:
    return kits_visible_to_agency(user, now).filter(pk=patient.pk).exists()


def can_manage_agencies(user: AnyUser | None) -> bool:
    """Municipal staff and region administrators create agency accounts and grant access."""
    return is_municipality_staff(user) or is_region_admin(user)


def can_manage_agency(user: AnyUser | None, agency: Organization) -> bool:
    """An agency of the user's region (a 消防本部 serves several municipalities: any of them may name
    its people; each municipality grants access to its own residents only)."""
    own = home_region(user)
    return (
        can_manage_agencies(user)
        and own is not None
        and agency.kind in AGENCY_KINDS
        and agency.municipality.region_id == own.pk
    )


def agencies_for(user: AnyUser | None) -> QuerySet[Organization]:
    """The queryset form of :func:`can_manage_agency`."""
    own = home_region(user)
    if not can_manage_agencies(user) or own is None:
        return Organization.objects.none()
    return Organization.objects.filter(kind__in=AGENCY_KINDS, municipality__region=own)


def can_grant_agency_access(user: AnyUser | None, municipality: Municipality, agency: Organization) -> bool:
    """A municipality's own staff (or the region's administrators) grant access to its residents."""
    return can_manage_municipality(user, municipality) and can_manage_agency(user, agency)


def can_view_agency_reads_of_municipality(user: AnyUser | None, municipality: Municipality) -> bool:
    return can_manage_municipality(user, municipality)


def can_record_emergency_services_consent(access: PatientAccess) -> bool:
    """The record's owner records and withdraws the consent, as for the care-team consent."""
    return access.can_record_consent


def can_view_agency_reads(access: PatientAccess) -> bool:
    """The team members who see the record see which 消防・警察 accounts read its kit."""
    return access.member_sees
