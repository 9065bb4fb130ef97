"""Structured parts other apps attach to a timeline post (a sheet a municipality defined, …),
registered from their ``AppConfig.ready`` as the patient page's sections are, so sharing never
imports those apps. A part is a one-to-one row on :class:`~renkei.sharing.models.Post` under
``related`` (the timeline joins it, ``select`` adds what its template needs) shown by ``template``
with the row as ``part``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist


@dataclass(frozen=True)
class PostPart:
    related: str
    template: str
    select: tuple[str, ...] = ()
    # What the API says of the part: a sheet's {"key", "name", "version"} (None: not a sheet).
    describe: Callable[[Any], dict[str, Any] | None] | None = None


@dataclass(frozen=True)
class ShownPart:
    template: str
    part: Any


_PARTS: list[PostPart] = []


def register(part: PostPart) -> None:
    if all(existing.related != part.related for existing in _PARTS):
        _PARTS.append(part)


def select_related() -> list[str]:
    """What the timeline's queries join so that showing the parts costs no query."""
    return [path for part in _PARTS for path in (part.related, *part.select)]


def _rows_of(post: Any) -> list[tuple[PostPart, Any]]:
    rows = []
    for part in _PARTS:
        try:
            rows.append((part, getattr(post, part.related)))
        except ObjectDoesNotExist:  # a post without this part
            continue
    return rows


def parts_of(post: Any) -> list[ShownPart]:
    return [ShownPart(part.template, row) for part, row in _rows_of(post)]


def sheet_of(post: Any) -> dict[str, Any] | None:
    """The sheet the post carries, as its part describes it (None: the post carries no sheet)."""
    for part, row in _rows_of(post):
        described = part.describe(row) if part.describe else None
        if described is not None:
            return described
    return None
