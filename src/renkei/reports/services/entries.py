"""Opening a survey and the life of an entry: 下書き → 提出 → 確認済み (or back to 下書き)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from renkei.core import permissions
from renkei.core.models import Municipality, Region
from renkei.reports.items import Item, Scene, Stage
from renkei.reports.models import ActivityEntry, EntryStatus, ReportRound
from renkei.reports.services.rules import MAX_TEXT, ReportError

TEXT_FIELDS = ("activities", "issues", "requests", "unclassified")


def _save(entry: ActivityEntry, actor, reason: str) -> None:
    # simple_history takes the author and the reason from these attributes (no request needed).
    entry._history_user = actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[attr-defined]
    entry._change_reason = reason  # type: ignore[attr-defined]
    entry.updated_by = entry._history_user  # type: ignore[attr-defined]
    entry.save()


def region_municipalities(region: Region) -> list[Municipality]:
    """The region's municipalities in the survey's order (the prefecture's list, i.e. by code)."""
    return list(region.municipalities.order_by("code"))


@transaction.atomic
def open_round(actor, region: Region, as_of: date) -> ReportRound:
    """A new survey of ``region`` as of ``as_of``: one draft entry per municipality and item, each
    starting from the municipality's answer in the latest earlier survey (so only changes are typed)."""
    if actor is not None and not permissions.can_manage_report_rounds(actor, region):
        raise PermissionDenied
    if ReportRound.objects.filter(region=region, as_of=as_of).exists():
        raise ReportError(f"{as_of:%Y-%m-%d}時点の調査はすでにあります。", "as_of")
    previous = ReportRound.objects.filter(region=region, as_of__lt=as_of).order_by("-as_of").first()
    earlier = {}
    if previous is not None:
        earlier = {(e.municipality_id, e.item): e for e in previous.entries.all()}
    report_round = ReportRound.objects.create(region=region, as_of=as_of)
    for municipality in region_municipalities(region):
        for item in Item:
            entry = ActivityEntry(round=report_round, municipality=municipality, item=item)
            before = earlier.get((municipality.pk, item))
            if before is not None:
                for name in (*TEXT_FIELDS, "stage", "scenes"):
                    setattr(entry, name, getattr(before, name))
            _save(entry, actor, "調査の開始")
    return report_round


@dataclass(frozen=True)
class EntryInput:
    activities: str = ""
    issues: str = ""
    requests: str = ""
    unclassified: str = ""
    stage: str = ""
    scenes: tuple[str, ...] = ()


def _clean(data: EntryInput) -> EntryInput:
    errors = []
    texts = {}
    for name in TEXT_FIELDS:
        value = getattr(data, name).replace("\r\n", "\n").strip()
        if len(value) > MAX_TEXT:
            errors.append({"field": name, "message": f"{MAX_TEXT}字以内で入力してください。"})
        texts[name] = value
    if data.stage and data.stage not in Stage.values:
        errors.append({"field": "stage", "message": "段階を一覧から選んでください。"})
    if any(scene not in Scene.values for scene in data.scenes):
        errors.append({"field": "scenes", "message": "場面を一覧から選んでください。"})
    if errors:
        raise ReportError(errors[0]["message"], errors[0]["field"], errors=errors)
    scenes = tuple(scene for scene in Scene.values if scene in data.scenes)
    return EntryInput(**texts, stage=data.stage, scenes=scenes)


@transaction.atomic
def save_entry(actor, entry: ActivityEntry, data: EntryInput) -> ActivityEntry:
    """Municipality staff keep their answer current; editing a confirmed answer makes it a draft."""
    entry = ActivityEntry.objects.select_for_update().get(pk=entry.pk)
    if not permissions.can_edit_activity_entry(actor, entry):
        raise PermissionDenied
    clean = _clean(data)
    for name in TEXT_FIELDS:
        setattr(entry, name, getattr(clean, name))
    entry.stage = clean.stage
    entry.scenes = list(clean.scenes)
    if entry.status == EntryStatus.CONFIRMED:
        entry.status = EntryStatus.DRAFT
    _save(entry, actor, "編集")
    return entry


@transaction.atomic
def submit_entry(actor, entry: ActivityEntry) -> ActivityEntry:
    entry = ActivityEntry.objects.select_for_update().get(pk=entry.pk)
    if not permissions.can_submit_activity_entry(actor, entry):
        raise PermissionDenied
    entry.status = EntryStatus.SUBMITTED
    _save(entry, actor, "提出")
    return entry


@transaction.atomic
def review_entry(actor, entry: ActivityEntry, *, accept: bool, comment: str = "") -> ActivityEntry:
    """The region administrator confirms a submitted answer, or sends it back with a comment."""
    entry = ActivityEntry.objects.select_for_update().select_related("round__region").get(pk=entry.pk)
    if not permissions.can_review_activity_entry(actor, entry):
        raise PermissionDenied
    comment = comment.strip()
    if accept and entry.unclassified.strip():
        raise ReportError(
            "未分類の記載が残っています。差し戻して各欄に振り分けてもらってください。", "comment"
        )
    if not accept and not comment:
        raise ReportError("差し戻す理由を入力してください。", "comment")
    if len(comment) > MAX_TEXT:
        raise ReportError(f"{MAX_TEXT}字以内で入力してください。", "comment")
    entry.status = EntryStatus.CONFIRMED if accept else EntryStatus.DRAFT
    entry.review_comment = comment
    _save(entry, actor, "確認" if accept else "差し戻し")
    return entry
