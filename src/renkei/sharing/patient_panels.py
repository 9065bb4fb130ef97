"""Panels other apps show at the top of the patient page (the contact path at night, for one), so
that sharing shows them without importing those apps. Each panel is a function of the request, the
patient and the reader's :class:`~renkei.core.permissions.PatientAccess` returning ``(template,
context)`` or None; it checks and logs what it reads itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

PatientPanel = Callable[[HttpRequest, Any, Any], tuple[str, dict[str, Any]] | None]

_PANELS: list[PatientPanel] = []


def register(panel: PatientPanel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def panels_for(request: HttpRequest, patient: Any, access: Any) -> list[tuple[str, dict[str, Any]]]:
    return [shown for panel in _PANELS if (shown := panel(request, patient, access)) is not None]
