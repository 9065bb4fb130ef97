"""The consultation desk: records and their counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from renkei.core.models import Municipality, Organization, Region, User
from renkei.core.permissions.roles import (
    _active,
    home_municipality,
    home_region,
    is_municipality_staff,
    is_region_admin,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser

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


def region_consultation_desks(region: Region | None) -> QuerySet[Organization]:
    """Every desk of ``region`` whose counts are reported, closed desks included (their past cases
    still count): what a region administrator and the operator's report command count."""
    return Organization.objects.filter(kind__in=CONSULTATION_DESK_KINDS, municipality__region=region)


def consultation_statistics_desks(user: AnyUser | None) -> QuerySet[Organization]:
    """The desks whose counts ``user`` may see (empty when none)."""
    desks = Organization.objects.filter(kind__in=CONSULTATION_DESK_KINDS)
    if is_region_admin(user):
        return region_consultation_desks(home_region(user))
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
    municipality = home_municipality(user)
    if is_municipality_staff(user) and municipality is not None:
        return Municipality.objects.filter(pk=municipality.pk)
    return Municipality.objects.none()


def sees_exact_counts(user: AnyUser | None, desks) -> bool:
    """Desk staff read exact counts of their own desk; everyone else who counts (municipality staff,
    region administrators, reports the operator makes for them) sees counts only, with small numbers
    hidden and no period under a month (``consultations.services.small_counts``)."""
    own = consultation_desk_of(user)
    return own is not None and all(desk.pk == own.pk for desk in desks)


def can_view_consultation_statistics(user: AnyUser | None) -> bool:
    return consultation_statistics_desks(user).exists()


def can_use_consultations(user: AnyUser | None) -> bool:
    return can_record_consultations(user) or can_view_consultation_statistics(user)


def can_import_consultations(user: AnyUser | None) -> bool:
    return can_record_consultations(user)


def can_manage_consultation_categories(user: AnyUser | None, region: Region | None = None) -> bool:
    return is_region_admin(user, region)
