"""Stored facility values as people read them (choice labels, ○/×/不明, names rather than ids,
Japanese local time): the history, the review and the import check show them alike."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format

from renkei.directory.models import Facility

# The three-way capabilities as the directory pages show them.
TRI_STATE_MARKS = {True: "○", False: "×", None: "不明"}
VERIFIED_VIA = {
    "staff": "職員の編集",
    "link": "更新用リンク",
    "account": "施設の職員",
    "restore": "版の復元",
    "review": "市町村の承認",
}


def display_value(name: str, value: Any) -> str:
    """A stored value (or its JSON form in a change request) as people read it: choice labels,
    ○/×/不明, names rather than ids, dates and times in Japanese local time."""
    try:
        model_field = Facility._meta.get_field(name)
    except FieldDoesNotExist:
        model_field = None
    if isinstance(model_field, models.BooleanField) and model_field.null:
        return TRI_STATE_MARKS.get(value, str(value))
    if value in (None, "", []):
        return "（なし）"
    if isinstance(model_field, models.Field) and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if name == "verified_via":
        return VERIFIED_VIA.get(value, str(value))
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model._default_manager.filter(pk=value).first()
        if related is None:
            return str(value)
        full_name = getattr(related, "get_full_name", None)
        return full_name() if callable(full_name) else str(related)
    if isinstance(model_field, models.DateTimeField):
        moment = parse_datetime(value) if isinstance(value, str) else value
        return date_format(timezone.localtime(moment), "Y年n月j日 H:i") if moment else str(value)
    if isinstance(model_field, models.DateField):
        day = parse_date(value) if isinstance(value, str) else value
        return date_format(day, "Y年n月j日") if day else str(value)
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    return str(value)
