"""What the importers hand to the writer: a :class:`Record` per facility keyed by an official code,
the municipalities the importing person may write, and the category that a set of 介護 services gives.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from renkei.core.models import Municipality
from renkei.directory.catalog import CATEGORY_PRECEDENCE, Category


class MunicipalityScope:
    """The municipalities Renkei knows, and which of them the importing person may write."""

    def __init__(self, allowed: Iterable[Municipality] | None = None):
        self.by_code: dict[str, Municipality] = {m.code: m for m in Municipality.objects.all()}
        self.by_name: dict[str, Municipality] = {}
        for municipality in self.by_code.values():
            for name in (
                municipality.name,
                f"{municipality.county}{municipality.name}",
                municipality.full_name,
            ):
                self.by_name.setdefault(unicodedata.normalize("NFKC", name), municipality)
        self.allowed_ids: set[int] | None = None if allowed is None else {m.pk for m in allowed}

    def lookup(self, text: str) -> Municipality | None:
        text = unicodedata.normalize("NFKC", text).strip()
        return self.by_code.get(text) or self.by_name.get(text)

    def permission_error(self, municipality: Municipality) -> str:
        if self.allowed_ids is None or municipality.pk in self.allowed_ids:
            return ""
        return f"{municipality.name}の施設です。取り込めるのは、あなたが担当する市町村の施設だけです。"


KEY_FIELDS = ("care_office_number", "medical_institution_id", "local_code")


@dataclass
class Record:
    """One facility as a file describes it: the fields the file carries, keyed by an official code."""

    key_field: str
    key: str
    municipality: Municipality | None
    values: dict[str, Any]
    source_file: str
    source_row: int
    # 介護 services offered, by service code: (capacity, available days)
    services: dict[str, tuple[int | None, str]] | None = None
    # 介護 services of this office whose rows were rejected: left as they are even in a full import
    # ("*": a rejected row whose service could not be read — leave all of them).
    kept_services: frozenset[str] = frozenset()
    # For the Renkei template: other codes that may name an existing facility.
    other_keys: dict[str, str] = field(default_factory=dict)
    # Fields that official files carry; the Renkei template leaves them alone on official records.
    official_fields: frozenset[str] = frozenset()
    primary_category: str = ""
    # The original cells, kept where a later check may still reject the row.
    header: list[str] = field(default_factory=list)
    raw: list[str] | None = None


def category_for_services(codes: Iterable[str]) -> str:
    from renkei.directory.catalog import SERVICE_TYPES

    categories = {SERVICE_TYPES[code].category for code in codes if code in SERVICE_TYPES}
    for category in CATEGORY_PRECEDENCE:
        if category in categories:
            return category
    return Category.OTHER


def category_rank(category: str) -> int:
    return (
        CATEGORY_PRECEDENCE.index(category) if category in CATEGORY_PRECEDENCE else len(CATEGORY_PRECEDENCE)
    )
