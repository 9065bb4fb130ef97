"""かかりつけ医: the region's hospitals and clinics found by name, through the directory's own search
(so kana, hiragana and half-width text find a name exactly as on the directory pages)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from renkei.core.models import Region
from renkei.core.text import normalize
from renkei.directory import geocoding
from renkei.directory import services as directory
from renkei.directory.catalog import Category
from renkei.directory.models import Facility

PHYSICIAN_CATEGORIES = [Category.HOSPITAL.value, Category.CLINIC.value]
MAX_CANDIDATES = 20


@dataclass(frozen=True)
class PhysicianCandidate:
    """A facility as the かかりつけ医 choice shows it: the name with its 市町村, 町字 and category, so
    that six clinics of the same name are told apart."""

    id: int
    name: str
    municipality: str
    town: str
    category: str

    @property
    def place(self) -> str:
        return f"{self.municipality}{self.town}"

    @property
    def label(self) -> str:
        return f"{self.name}（{self.place}・{self.category}）"

    def as_json(self) -> dict[str, str | int]:
        return {
            "id": self.id,
            "name": self.name,
            "municipality": self.municipality,
            "town": self.town,
            "category": self.category,
            "label": self.label,
        }


def physician_facilities(region: Region | None) -> QuerySet[Facility]:
    """The facilities a かかりつけ医 may be chosen from."""
    qs = Facility.objects.filter(category__in=PHYSICIAN_CATEGORIES)
    return qs.filter(municipality__region=region) if region is not None else qs.none()


def physician_candidate(facility: Facility) -> PhysicianCandidate:
    return PhysicianCandidate(
        id=facility.pk,
        name=facility.name,
        municipality=facility.municipality.name,
        town=geocoding.town_of(facility.address),
        category=facility.get_category_display(),
    )


def search_physicians(
    region: Region | None, query: str, limit: int = MAX_CANDIDATES
) -> list[PhysicianCandidate]:
    """Hospitals and clinics of the region whose name (or any searchable text) matches ``query``."""
    if region is None or not normalize(query):
        return []
    result = directory.search_facilities(
        directory.FacilityQuery(
            q=query[:100], region=region.slug, categories=list(PHYSICIAN_CATEGORIES), page_size=limit
        )
    )
    return [physician_candidate(facility) for facility in result.facilities]
