"""The start page's panels. Each app adds its own from ``AppConfig.ready`` (as with the navigation),
so the page after login shows what fits the person — care staff their patients, desk staff the
follow-ups due, municipal staff and region administrators the work waiting — without core importing
the apps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    # The panel's context for this request, or None when it has nothing for this person.
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 100
    # A static file the panel's template needs (the app's own stylesheet), or "".
    stylesheet: str = ""


@dataclass(frozen=True)
class ShownPanel:
    template: str
    context: dict[str, Any]
    stylesheet: str


_PANELS: list[Panel] = []


def register(panel: Panel) -> None:
    if all(existing.key != panel.key for existing in _PANELS):
        _PANELS.append(panel)
        _PANELS.sort(key=lambda entry: entry.order)


def panels_for(request: HttpRequest) -> list[ShownPanel]:
    shown = []
    for panel in _PANELS:
        context = panel.context(request)
        if context is not None:
            shown.append(ShownPanel(panel.template, context, panel.stylesheet))
    return shown
