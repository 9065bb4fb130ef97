"""Institutions named on a case: a directory facility when there is one, else the text typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from renkei.consultations.services.rules import ConsultationError
from renkei.core.models import Region
from renkei.core.text import normalize

if TYPE_CHECKING:
    from renkei.directory.models import Facility


def region_facilities(region: Region) -> QuerySet[Facility]:
    from renkei.directory.models import Facility

    return Facility.objects.filter(municipality__region=region)


def search_facilities(region: Region | None, query: str, limit: int = 20) -> list[dict]:
    """Facilities of the region matching the query (for the institution field): the directory's own
    search, so institutions are found exactly as on the directory pages."""
    from renkei.directory import services as directory

    if region is None or not normalize(query):
        return []
    result = directory.search_facilities(
        directory.FacilityQuery(q=query[:200], region=region.slug, page_size=limit)
    )
    return [
        {
            "id": facility.pk,
            "name": facility.name,
            "municipality": facility.municipality.name,
            "category": facility.get_category_display(),
        }
        for facility in result.facilities
    ]


def facility_by_exact_name(region: Region, name: str) -> Facility | None:
    """The one facility of the region whose name matches ``name`` after normalisation, if unique."""
    key = normalize(name)
    if not key:
        return None
    candidates = [
        facility
        for facility in region_facilities(region).filter(search_text__contains=key)[:50]
        if normalize(facility.name) == key or normalize(facility.short_name) == key
    ]
    return candidates[0] if len(candidates) == 1 else None


def resolve_institution(
    region: Region, facility_id: int | None, text: str, find=None
) -> tuple[Facility | None, str]:
    """A directory facility when one is chosen (or the text names exactly one), else the text.
    ``find`` looks a name up (default :func:`facility_by_exact_name`; an import passes a cached one)."""
    text = (text or "").strip()
    if facility_id:
        facility = region_facilities(region).filter(pk=facility_id).first()
        if facility is None:
            raise ConsultationError("選択された機関が資源一覧に見つかりません。")
        return facility, ""
    if not text:
        return None, ""
    facility = find(text) if find is not None else facility_by_exact_name(region, text)
    return (facility, "") if facility is not None else (None, text)
