"""A filled sheet's answers as people read them, in the order and with the labels of its version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from renkei.transitions.sheets import schema


@dataclass(frozen=True)
class Row:
    label: str
    kind: str
    text: str  # the answer as shown and printed; "" when unanswered


def answer_text(kind: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if kind == schema.MULTIPLE_CHOICE:
        return "、".join(value)
    if kind == schema.YES_NO:
        return "はい" if value else "いいえ"
    if kind == schema.DATE:
        day = date.fromisoformat(value)
        return f"{day.year}年{day.month}月{day.day}日"
    if kind == schema.NUMBER and float(value).is_integer():
        return str(int(value))
    return str(value)


def rows(fields: list[dict[str, Any]], answers: dict[str, Any]) -> list[Row]:
    return [
        Row(field["label"], field["kind"], answer_text(field["kind"], answers.get(field["key"])))
        for field in fields
    ]
