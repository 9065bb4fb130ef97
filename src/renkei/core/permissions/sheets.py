"""Sheets a region or a municipality defines (連携シートの様式): who may define and change them.

A region's sheets are edited by that region's administrators, a municipality's by that
municipality's staff. Filling a sheet is writing on the patient's timeline (the care-team rules of
:mod:`renkei.core.permissions.sharing`); reading one is reading the record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from renkei.core.models import Municipality, Region
from renkei.core.permissions.roles import (
    home_municipality,
    home_region,
    is_municipality_staff,
    is_region_admin,
)

if TYPE_CHECKING:
    from renkei.core.permissions.roles import AnyUser
    from renkei.transitions.models import SheetDefinition


def _transitions() -> Any:
    from renkei.transitions import models as transitions_models

    return transitions_models


def can_define_sheet(user: AnyUser | None, owner: Region | Municipality) -> bool:
    """May ``user`` add a sheet owned by ``owner`` (a region or a municipality)?"""
    if isinstance(owner, Region):
        return is_region_admin(user, owner)
    own = home_municipality(user)
    return is_municipality_staff(user) and own is not None and own.pk == owner.pk


def can_edit_sheet_definition(user: AnyUser | None, definition: SheetDefinition) -> bool:
    owner = definition.region if definition.region_id is not None else definition.municipality
    return owner is not None and can_define_sheet(user, owner)


def can_manage_sheets(user: AnyUser | None) -> bool:
    """Has a sheet owner to edit for (the menu entry)."""
    return is_region_admin(user) or is_municipality_staff(user)


def sheet_owners(user: AnyUser | None) -> list[Region | Municipality]:
    """The owners ``user`` may define sheets for."""
    if is_region_admin(user):
        region = home_region(user)
        return [region] if region is not None else []
    own = home_municipality(user)
    if is_municipality_staff(user) and own is not None:
        return [own]
    return []


def editable_sheet_definitions(user: AnyUser | None) -> QuerySet[SheetDefinition]:
    """The queryset form of :func:`can_edit_sheet_definition`."""
    definitions = _transitions().SheetDefinition.objects
    owners = sheet_owners(user)
    if not owners:
        return definitions.none()
    owner = owners[0]
    if isinstance(owner, Region):
        return definitions.filter(region=owner)
    return definitions.filter(municipality=owner)


def sheets_offered_for(municipality: Municipality) -> Q:
    """Definitions a patient living in ``municipality`` may have filled: the region's and the
    municipality's own (a filter on SheetDefinition)."""
    offered = Q(municipality=municipality)
    if municipality.region_id is not None:
        offered |= Q(region_id=municipality.region_id)
    return offered
