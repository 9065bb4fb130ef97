"""A municipality's 日常生活圏域, kept by its own staff: a name and the 町字 it contains (each 町字 of
the town data, in one 圏域 at most)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from renkei.continuity.models import LivingArea
from renkei.continuity.services._common import ContinuityError, full_clean
from renkei.core import permissions
from renkei.core.models import Municipality, User
from renkei.directory import geocoding


@transaction.atomic
def save_living_area(
    actor: User, municipality: Municipality, name: str, towns: list[str], area: LivingArea | None = None
) -> LivingArea:
    if not permissions.can_enter_population(actor, municipality):
        raise PermissionDenied
    known = {geocoding.town_key(town): town for town in geocoding.towns_of(municipality.code)}
    unknown = [town for town in towns if geocoding.town_key(town) not in known]
    if unknown:
        raise ContinuityError(f"{municipality.name}に無い町字です: {'、'.join(unknown)}", "towns")
    chosen = list(dict.fromkeys(known[geocoding.town_key(town)] for town in towns))
    others = LivingArea.objects.filter(municipality=municipality)
    if area is not None:
        others = others.exclude(pk=area.pk)
    taken = {town: other.name for other in others for town in other.towns}
    twice = [f"{town}（{taken[town]}）" for town in chosen if town in taken]
    if twice:
        raise ContinuityError(f"ほかの圏域に含まれている町字です: {'、'.join(twice)}", "towns")
    area = area or LivingArea(municipality=municipality)
    area.name, area.towns, area.updated_by = name, chosen, actor
    full_clean(area, exclude=["municipality", "updated_by"])
    area.save()
    return area


def living_areas(actor: User) -> list[LivingArea]:
    """The 日常生活圏域 of the municipalities ``actor`` keeps, by municipality and name."""
    municipalities = permissions.managed_municipalities(actor)
    return list(LivingArea.objects.filter(municipality__in=municipalities).select_related("municipality"))


def living_area_for(actor: User, pk: int) -> LivingArea:
    """One 圏域 ``actor`` may edit; any other (or none) is reported as not found."""
    area = (
        LivingArea.objects.filter(pk=pk, municipality__in=permissions.managed_municipalities(actor))
        .select_related("municipality")
        .first()
    )
    if area is None or not permissions.can_enter_population(actor, area.municipality):
        raise LivingArea.DoesNotExist
    return area


@transaction.atomic
def delete_living_area(actor: User, area: LivingArea) -> None:
    """Its 町字 count as 町字 again in the cover table (or in another 圏域 once added to one)."""
    if not permissions.can_enter_population(actor, area.municipality):
        raise PermissionDenied
    area.delete()
