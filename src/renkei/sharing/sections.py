"""Sections other apps add to a patient's page (入退院 episodes, …), registered from their
``AppConfig.ready`` as the start page's panels are, so sharing never imports those apps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from renkei.core.models import User


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    # The section's context for this reader and patient (who may see the page), or None.
    context: Callable[[User, Any, Any], dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class ShownSection:
    template: str
    context: dict[str, Any]


_SECTIONS: list[Section] = []


def register(section: Section) -> None:
    if all(existing.key != section.key for existing in _SECTIONS):
        _SECTIONS.append(section)
        _SECTIONS.sort(key=lambda entry: entry.order)


def sections_for(user: User, patient: Any, access: Any) -> list[ShownSection]:
    shown = []
    for section in _SECTIONS:
        context = section.context(user, patient, access)
        if context is not None:
            shown.append(ShownSection(section.template, context))
    return shown
