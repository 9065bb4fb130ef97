"""The municipality's review of a change to a reviewed field: approve (optionally as corrected by the
reviewer, 「修正して承認」) or reject with a reason mailed to whoever sent it."""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from renkei.core import permissions
from renkei.core.formats import tidy_or_keep
from renkei.core.text import katakana_to_hiragana
from renkei.directory.display import display_value
from renkei.directory.models import FIELD_CLEANERS, Facility, field_label
from renkei.freshness.models import ChangeRequest
from renkei.freshness.services import mail
from renkei.freshness.services.errors import ReviewError
from renkei.freshness.services.updates import REVIEWED_FIELDS, json_value, save_version

logger = logging.getLogger(__name__)

CODE_FIELDS = ("care_office_number", "medical_institution_id", "local_code")


def kana_reading(name: str) -> str:
    """The ふりがな of a name written in kana only (「さくら訪問看護ステーション」 is not: it has no
    reading we can derive), else ""."""
    text = unicodedata.normalize("NFKC", name).strip()
    if text and _KANA_ONLY.fullmatch(text):
        return katakana_to_hiragana(text)
    return ""


_KANA_ONLY = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\s・]+")


def diff_rows(change: ChangeRequest) -> list[dict[str, Any]]:
    """Each proposed field: before, now, proposed and the correction's starting value. A new name
    brings its ふりがな along, to be confirmed (derived when the name is in kana only)."""
    current = change.facility
    rows: list[dict[str, Any]] = [
        {
            "field": name,
            "label": field_label(name),
            "previous": display_value(name, change.previous.get(name)),
            "current": display_value(name, getattr(current, name)),
            "proposed": display_value(name, value),
            "edit": "" if value is None else str(value),
            "required": name == "name",
        }
        for name, value in change.proposed.items()
    ]
    if "name" in change.proposed and "name_kana" not in change.proposed:
        reading = kana_reading(str(change.proposed["name"] or ""))
        rows.append(
            {
                "field": "name_kana",
                "label": field_label("name_kana"),
                "previous": display_value("name_kana", current.name_kana),
                "current": display_value("name_kana", current.name_kana),
                "proposed": reading or "（新しい名称の読みを入力してください）",
                "edit": reading,
                "required": True,
            }
        )
    return rows


def pending_changes(user) -> QuerySet[ChangeRequest]:
    return (
        ChangeRequest.objects.filter(
            status=ChangeRequest.Status.PENDING,
            facility__municipality__in=permissions.managed_municipalities(user),
        )
        .select_related("facility__municipality")
        .order_by("created_at", "id")
    )


def check_codes(values: dict[str, Any], facility_id: int) -> None:
    """Official codes are unique: refuse (in Japanese) a value another facility already holds."""
    for name in CODE_FIELDS:
        if (
            values.get(name)
            and Facility.objects.exclude(pk=facility_id).filter(**{name: values[name]}).exists()
        ):
            raise ReviewError(f"{field_label(name)}「{values[name]}」は別の施設に登録されています。", name)


def validate_reviewed(facility: Facility, names: list[str]) -> None:
    """The model fields' own validation (length, choices, format validators) of the fields a review
    sets; every problem in one Japanese :class:`ReviewError`."""
    problems: list[str] = []
    errors: list[dict[str, str]] = []
    try:
        facility.full_clean(
            exclude=[f.name for f in Facility._meta.concrete_fields if f.name not in names],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            label = field_label(name) if name in names else ""
            for message in messages:
                problems.append(f"{label}: {message}" if label else message)
                errors.append({"field": name if label else "", "message": message})
    if problems:
        problems = list(dict.fromkeys(problems))
        raise ReviewError("\n".join(problems), errors=errors or None)


@transaction.atomic
def approve_change(
    change: ChangeRequest, reviewer, *, edited: dict[str, Any] | None = None, now: datetime | None = None
) -> Facility:
    """Publish a pending change (optionally as edited by the reviewer)."""
    now = now or timezone.now()
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if not permissions.can_review_facility_change(reviewer, change):
        raise PermissionDenied("この申請を確認する権限がありません。")
    if change.status != ChangeRequest.Status.PENDING:
        raise ReviewError("この申請はすでに処理されています。")
    values = {**change.proposed, **(edited or {})}
    if "name" in values and not str(values["name"]).strip():
        raise ReviewError("名称は空にできません。", "name")
    _name_kana_with_name(values, change, edited or {})
    facility = Facility.objects.select_for_update().select_related("municipality").get(pk=change.facility_id)
    names = [name for name in values if name in REVIEWED_FIELDS]
    for name in names:
        value = values[name]
        if name in FIELD_CLEANERS and isinstance(value, str):
            # As the forms do: the reviewer's 「０２９１…」 is stored as 「0291…」; the rest is refused below.
            value = tidy_or_keep(FIELD_CLEANERS[name], value)
        setattr(facility, name, value if value != "" or not Facility._meta.get_field(name).null else None)
    validate_reviewed(facility, names)
    check_codes({name: getattr(facility, name) for name in names}, change.facility_id)
    facility.verified_at = now
    facility.verified_by = reviewer
    facility.verified_via = "review"
    save_version(facility, f"変更申請 #{change.pk} を承認", reviewer)
    change.status = ChangeRequest.Status.APPROVED
    change.reviewer = reviewer
    change.reviewed_at = now
    if edited:
        change.proposed = {name: json_value(value) for name, value in values.items()}
    change.save()
    return facility


def _name_kana_with_name(values: dict[str, Any], change: ChangeRequest, edited: dict[str, Any]) -> None:
    """An approved name brings its ふりがな: the reviewer's (the page always sends it), else the
    reading of a kana-only name; otherwise the ふりがな is left as it was."""
    if "name" not in values or "name_kana" in change.proposed:
        return
    if "name_kana" in edited:
        if not str(edited["name_kana"]).strip():
            raise ReviewError("名称が変わるため、名称（ふりがな）を入力してください。", "name_kana")
        values["name_kana"] = katakana_to_hiragana(
            unicodedata.normalize("NFKC", str(edited["name_kana"]).strip())
        )
        return
    reading = kana_reading(str(values["name"]))
    if reading:
        values["name_kana"] = reading


def reject_change(change: ChangeRequest, reviewer, reason: str, *, now: datetime | None = None) -> bool:
    """Reject with a reason, then e-mail the reason to the address that sent the change. The
    rejection stands even when the mail fails (it is the reviewer's decision, and the submitter
    must not see the change published meanwhile); the result says whether the mail went out, so
    that the reviewer can tell the facility another way."""
    reason = reason.strip()
    if not reason:
        raise ReviewError("却下の理由を入力してください。", "reason")
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().select_related("facility").get(pk=change.pk)
        if not permissions.can_review_facility_change(reviewer, change):
            raise PermissionDenied("この申請を確認する権限がありません。")
        if change.status != ChangeRequest.Status.PENDING:
            raise ReviewError("この申請はすでに処理されています。")
        change.status = ChangeRequest.Status.REJECTED
        change.reviewer = reviewer
        change.reviewed_at = now or timezone.now()
        change.reason = reason
        change.save()
    to = change.submitted_email or (change.submitted_by.email if change.submitted_by else "")
    if not to:
        return False
    try:
        mail.rejection(change.facility.name, reason, to=to).send()
    except Exception as exc:
        logger.warning("rejection of change %s not mailed: %s", change.pk, type(exc).__name__)
        return False
    return True
