"""The residents' portal: per municipality, where to consult (the desks of the directory, their hours
and numbers) and what else the directory holds there; the events open to residents. Public fields only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404

from renkei.core import public_events
from renkei.core.models import Municipality
from renkei.core.public_events import PublicEvent
from renkei.core.services import RuleError, default_region
from renkei.directory.catalog import CATEGORY_GROUP, Category, CategoryGroup
from renkei.directory.models import Facility
from renkei.outreach.services import scope


@dataclass
class MunicipalityPortal:
    municipality: Municipality
    desks: list[Facility]
    counts: list[tuple[str, str, int]]  # (group value, group label, entries)


def municipality(code: str) -> Municipality:
    try:
        return scope.municipality_in_region(code)
    except RuleError:
        raise Http404 from None


def municipality_portal(code: str) -> MunicipalityPortal:
    place = municipality(code)
    entries = scope.public_facilities().filter(municipality=place)
    desks = list(entries.filter(category=Category.COMMUNITY_SUPPORT_CENTER).order_by("name_kana", "id"))
    by_category = dict(entries.order_by().values_list("category").annotate(n=Count("id")))
    counts = [
        (group, label, sum(n for category, n in by_category.items() if CATEGORY_GROUP.get(category) == group))
        for group, label in CategoryGroup.choices
    ]
    return MunicipalityPortal(place, desks, counts)


EVENTS_SHOWN = 10


def upcoming_events(place: Municipality | None) -> list[PublicEvent]:
    """Events open to residents, from the events app when it is installed (none otherwise)."""
    region = default_region()
    provider = public_events.calendar()
    if region is None or provider is None:
        return []
    return provider.upcoming_public(region, place, limit=EVENTS_SHOWN)
