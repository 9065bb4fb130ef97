"""Nights, holidays and emergencies: rotas, contact paths, ACP records and the 救急医療情報キット.

Everything about a patient builds on the care-team rules (:class:`PatientAccess` of
:mod:`renkei.core.permissions.sharing`): whoever sees the record sees its contact path and ACP
records; whoever writes on its timeline may change them. Rotas belong to their organisation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from renkei.core.models import Municipality, Organization
from renkei.core.permissions.roles import (
    can_manage_municipality,
    home_region,
    is_municipality_staff,
    is_region_admin,
)
from renkei.core.permissions.sharing import PatientAccess, can_have_patients

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from renkei.core.models import User

    AnyUser = User | AnonymousUser


def can_edit_rota(user: AnyUser | None, organization: Organization) -> bool:
    """An organisation's own care staff keep its on-call rota."""
    return can_have_patients(user) and user.organization_id == organization.pk


def can_view_rota(user: AnyUser | None, organization: Organization) -> bool:
    """Care staff of the region see who is on duty where (the contact paths name them)."""
    own = home_region(user)
    return can_have_patients(user) and own is not None and own.pk == organization.municipality.region_id


def rota_organizations_for(user: AnyUser | None) -> QuerySet[Organization]:
    """The organisations whose rotas ``user`` may see (the queryset form of :func:`can_view_rota`)."""
    own = home_region(user)
    if not can_have_patients(user) or own is None:
        return Organization.objects.none()
    return Organization.objects.filter(municipality__region=own, is_active=True)


def can_view_contact_path(access: PatientAccess) -> bool:
    return access.can_view


def can_edit_contact_path(access: PatientAccess) -> bool:
    """Members who see the record and write on it; break-the-glass readers only read."""
    return access.can_post


def can_record_acp(access: PatientAccess) -> bool:
    return access.can_post


def can_print_kit(access: PatientAccess) -> bool:
    """The kit goes on the patient's fridge: printed by the team, not by an emergency reader."""
    return access.member_sees


def can_view_cover_table(user: AnyUser | None) -> bool:
    """The region's 24-hour cover by municipality: for municipal staff and region administrators
    (counts of public facility data, no patient)."""
    return is_municipality_staff(user) or is_region_admin(user)


def can_enter_population(user: AnyUser | None, municipality: Municipality) -> bool:
    """A municipality's 65+ population is entered by its own staff (or the region's administrators)."""
    return can_manage_municipality(user, municipality)
