"""Sections other apps add to a patient's page (入退院 episodes, the contact path at night, …),
registered from their ``AppConfig.ready`` as the start page's panels are, so sharing never imports
those apps. A section shows either at the top of the page (``TOP``: what matters before anything
else, such as whom to call at night) or below the patient's profile (``MAIN``). Its context function
checks what the reader may see and logs what it reads itself (the page's own read is logged already)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from renkei.core.models import User

TOP = "top"
MAIN = "main"


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    # The section's context for this reader and patient (who may see the page), or None.
    context: Callable[[User, Any, Any], dict[str, Any] | None]
    order: int = 100
    place: str = MAIN  # TOP or MAIN


@dataclass(frozen=True)
class ShownSection:
    template: str
    context: dict[str, Any]


_SECTIONS: list[Section] = []


def register(section: Section) -> None:
    if all(existing.key != section.key for existing in _SECTIONS):
        _SECTIONS.append(section)
        _SECTIONS.sort(key=lambda entry: entry.order)


def sections_for(user: User, patient: Any, access: Any, place: str = MAIN) -> list[ShownSection]:
    shown = []
    for section in _SECTIONS:
        if section.place != place:
            continue
        context = section.context(user, patient, access)
        if context is not None:
            shown.append(ShownSection(section.template, context))
    return shown
