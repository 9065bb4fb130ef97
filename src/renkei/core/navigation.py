"""The main navigation. Each app adds its own entries from ``AppConfig.ready``, so a new area of the
product appears in the header without touching the others."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100
    # Also in the menu of a 消防・警察 account, whose menu holds nothing else.
    emergency_services: bool = False

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _ITEMS):
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda entry: entry.order)


def items_for(user) -> list[NavItem]:
    from renkei.core.permissions import is_emergency_services

    restricted = is_emergency_services(user)
    return [item for item in _ITEMS if item.visible(user) and (item.emergency_services or not restricted)]
