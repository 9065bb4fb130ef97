"""``{{ value|count_in:"件" }}``: a count with its unit, or 「5件未満」 as it stands (it has its unit)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def count_in(value: int | str, unit: str) -> str:
    return f"{value}{unit}" if isinstance(value, int) else str(value)
