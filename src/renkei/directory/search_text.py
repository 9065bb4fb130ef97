"""The search text of a facility built from plain values (an import row, a migration), without a
model instance: the same text as :meth:`Facility.build_search_text`, at the speed a national import needs.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

from django.utils.translation import get_language

from renkei.core.models import Municipality
from renkei.directory.catalog import CAPABILITIES, CAPABILITY_FIELDS, Category
from renkei.directory.models import Facility

_CAPABILITY_FIELD_SET = frozenset(CAPABILITY_FIELDS)


class _SearchView:
    """Just what :meth:`Facility.build_search_text` reads, without building a model instance
    (and without Django's per-call lookup of the category label)."""

    __slots__ = (
        "_category",
        "_values",
        "address",
        "municipality",
        "municipality_id",
        "name",
        "name_kana",
        "short_name",
        "specialties",
    )

    def __init__(self, values: dict[str, Any], municipality: Municipality | None, category_label: str):
        self.name = values.get("name", "")
        self.name_kana = values.get("name_kana", "")
        self.short_name = values.get("short_name", "")
        self.address = values.get("address", "")
        self.specialties = values.get("specialties") or []
        self.municipality = municipality
        self.municipality_id = municipality.pk if municipality else None
        self._category = category_label
        self._values = values

    def get_category_display(self) -> str:
        return self._category

    def true_capabilities(self) -> list:
        # Official files carry no capabilities: one set operation instead of a lookup per capability.
        if _CAPABILITY_FIELD_SET.isdisjoint(self._values):
            return []
        return [c for c in CAPABILITIES if self._values.get(c.field) is True]

    def __getattr__(self, name: str) -> Any:
        # Any other field the model's method may come to read, from the same values.
        if name.startswith("_"):
            raise AttributeError(name)
        return self._values.get(name, "")


def search_text(values: dict[str, Any], municipality: Municipality | None, service_codes: list[str]) -> str:
    labels = _category_labels(get_language())
    view = _SearchView(values, municipality, labels.get(values.get("category", ""), ""))
    # The view has every attribute the method reads (its own test keeps the two texts equal).
    return Facility.build_search_text(cast(Facility, view), list(service_codes))


@lru_cache(maxsize=8)
def _category_labels(language: str | None) -> dict[str, str]:
    return {value: str(label) for value, label in Category.choices}
