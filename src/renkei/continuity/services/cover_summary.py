"""The cover table's summary (``CoverCount``): per municipality, 町字, capability and state, how many
open facilities. A facility saved or deleted one at a time moves its own counts (signals on the
model, in the saving transaction); an import recomputes the municipalities it touched, once, inside
its transaction (the directory's ``facilities_imported``); ``renkei continuity rebuild-cover``
recomputes everything."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.db.models import F

from renkei.continuity.models import CoverCount
from renkei.core.models import Municipality
from renkei.directory import geocoding
from renkei.directory.catalog import FacilityStatus
from renkei.directory.models import Facility

COVER_FIELDS = ("round_the_clock", "house_call", "home_visit_care", "end_of_life_care")
STATES = {True: "true", False: "false", None: "unknown"}
_READ = ("municipality_id", "address", "status", *COVER_FIELDS)

Key = tuple[int, str, str, str]  # municipality id, 町字, capability, state


@lru_cache(maxsize=100_000)
def _town(address: str, municipality_code: str) -> str:
    return geocoding.oaza_of(address, municipality_code)


def _codes() -> dict[int, str]:
    return dict(Municipality.objects.values_list("pk", "code"))


def _keys(values: dict[str, Any], codes: dict[int, str]) -> list[Key]:
    """The counts one facility (as its column values) adds to: none while it is closed."""
    municipality_id = values["municipality_id"]
    if values["status"] == FacilityStatus.CLOSED or municipality_id is None:
        return []
    town = _town(values["address"] or "", codes.get(municipality_id, ""))
    return [(municipality_id, town, name, STATES[values[name]]) for name in COVER_FIELDS]


def _move(removed: Iterable[Key], added: Iterable[Key]) -> None:
    delta: Counter[Key] = Counter(added)
    delta.subtract(Counter(removed))
    for (municipality_id, town, capability, state), change in delta.items():
        if change == 0:
            continue
        key = {"municipality_id": municipality_id, "town": town, "capability": capability, "state": state}
        if not CoverCount.objects.filter(**key).update(count=F("count") + change):
            CoverCount.objects.create(**key, count=change)


def stored_values(facility_id: int) -> dict[str, Any] | None:
    return Facility.objects.filter(pk=facility_id).values(*_READ).first()


def instance_values(facility: Facility) -> dict[str, Any]:
    return {name: getattr(facility, name) for name in _READ}


def facility_changed(before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """One facility saved (``before`` None when new) or deleted (``after`` None)."""
    codes = _codes()
    with transaction.atomic():
        _move(_keys(before, codes) if before else [], _keys(after, codes) if after else [])


@transaction.atomic
def recompute(municipality_ids: Iterable[int] | None = None) -> int:
    """Count the given municipalities' facilities afresh (every municipality when None); returns the
    number of facilities counted."""
    facilities = Facility.objects.exclude(status=FacilityStatus.CLOSED)
    counts = CoverCount.objects.all()
    if municipality_ids is not None:
        ids = list(municipality_ids)
        facilities = facilities.filter(municipality_id__in=ids)
        counts = counts.filter(municipality_id__in=ids)
    totals: Counter[Key] = Counter()
    counted = 0
    codes = _codes()
    for row in facilities.values(*_READ).order_by().iterator(chunk_size=5000):
        totals.update(_keys(row, codes))
        counted += 1
    counts.delete()
    CoverCount.objects.bulk_create(
        (
            CoverCount(municipality_id=m, town=town, capability=capability, state=state, count=n)
            for (m, town, capability, state), n in totals.items()
        ),
        batch_size=2000,
    )
    return counted
