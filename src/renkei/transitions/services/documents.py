"""The 入院時情報提供書 and 退院・退所情報記録書: written from a form pre-filled from the patient's record,
sent to the hospital's 地域連携室 in Renkei, read and printed — each read, print and change logged."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from renkei.core import permissions
from renkei.core.models import AccessLog, User
from renkei.core.pdf import render_pdf
from renkei.transitions import documents
from renkei.transitions.models import DocumentKind, Episode, TransitionDocument
from renkei.transitions.services._common import TransitionError, log_episode
from renkei.transitions.services.episodes import episode_for

CONTROL = {chr(c) for c in range(32)} - {"\n", "\t", "\r"}


def log_document(
    actor: User, document: TransitionDocument, action: str, object_type: str = "transition_document"
) -> None:
    """One access-log row about the document; flagged when only breaking the glass lets ``actor`` in."""
    from renkei.core.audit import record_access

    record_access(
        actor,
        action=action,
        subject_type="patient",
        subject_id=document.patient_id,
        object_type=object_type,
        object_id=document.pk,
        flagged=permissions.patient_access(actor, document.patient).emergency_view,
    )


def _check_value(spec: documents.FieldSpec, value: str) -> str | None:
    """The Japanese reason a value is refused, or None."""
    if spec.required and not value:
        return f"{spec.label}を入力してください。"
    if not value:
        return None
    if len(value) > spec.max_length:
        return f"{spec.label}は{spec.max_length}文字以内で入力してください。"
    if CONTROL & set(value):
        return f"{spec.label}に使えない制御文字が含まれています。"
    if spec.kind == "choice" and value not in dict(spec.choices):
        return f"{spec.label}の選択肢から選んでください。"
    try:
        if spec.kind == "date":
            date.fromisoformat(value)
        elif spec.kind == "datetime":
            datetime.fromisoformat(value)
    except ValueError:
        return f"{spec.label}の日付を正しく入力してください。"
    return None


def clean_content(kind: str, data: dict[str, Any]) -> dict[str, str]:
    """The document's fields as stored; every problem is reported at once."""
    if kind not in documents.FIELDS:
        raise TransitionError("文書の種類が正しくありません。", "kind")
    content, errors = {}, []
    for spec in documents.FIELDS[kind]:
        raw = data.get(spec.name)
        if isinstance(raw, datetime):
            value = (
                timezone.localtime(raw).strftime("%Y-%m-%dT%H:%M")
                if timezone.is_aware(raw)
                else raw.isoformat()
            )
        elif isinstance(raw, date):
            value = raw.isoformat()
        else:
            value = "" if raw is None else str(raw).strip()
        reason = _check_value(spec, value)
        if reason:
            errors.append({"field": spec.name, "message": reason})
        content[spec.name] = value
    if errors:
        raise TransitionError(errors[0]["message"], errors[0]["field"], errors=errors)
    return content


def new_document(actor: User, episode_pk: int, kind: str) -> tuple[Episode, dict[str, str]]:
    """The episode and the form's first values, read from the patient's record (a logged read)."""
    episode, _ = episode_for(actor, episode_pk, "can_edit")
    if kind not in documents.FIELDS or not permissions.can_write_document(actor, episode, kind):
        raise PermissionDenied
    log_episode(actor, episode, AccessLog.Action.VIEW, "patient_form")
    return episode, documents.prefill(kind, episode.patient, episode)


@transaction.atomic
def create_document(actor: User, episode_pk: int, kind: str, data: dict[str, Any]) -> TransitionDocument:
    episode, _ = episode_for(actor, episode_pk, "can_edit")
    if kind not in documents.FIELDS or not permissions.can_write_document(actor, episode, kind):
        log_episode(actor, episode, AccessLog.Action.DENIED, "transition_document")
        raise PermissionDenied
    content: dict[str, Any] = {
        **clean_content(kind, data),
        "patient": documents.patient_snapshot(episode.patient, episode),
    }
    document = TransitionDocument.objects.create(
        patient=episode.patient, episode=episode, kind=kind, content=content, author=actor
    )
    if kind == DocumentKind.DISCHARGE_RECORD and episode.discharge_contacted_at is None:
        # The record is the hospital's contact before discharge: at the time it was heard.
        heard = timezone.make_aware(datetime.fromisoformat(content["heard_at"]))
        episode.discharge_contacted_at = min(heard, timezone.now())
        episode.save(update_fields=["discharge_contacted_at", "updated_at"])
    log_document(actor, document, AccessLog.Action.CREATE)
    return document


def episode_documents(actor: User, episode: Episode) -> list[TransitionDocument]:
    """The episode's documents this reader may see (the episode's page already logged the read)."""
    return [
        document
        for document in episode.documents.select_related("patient", "episode", "author")
        if permissions.can_view_document(actor, document)
    ]


def document_for(actor: User, pk: int) -> TransitionDocument:
    document = get_object_or_404(
        TransitionDocument.objects.select_related("patient__municipality", "episode", "author__organization"),
        pk=pk,
    )
    if not permissions.can_view_document(actor, document):
        log_document(actor, document, AccessLog.Action.DENIED)
        raise PermissionDenied
    return document


def read_document(actor: User, pk: int) -> TransitionDocument:
    document = document_for(actor, pk)
    log_document(actor, document, AccessLog.Action.VIEW)
    return document


@transaction.atomic
def send_document(actor: User, pk: int) -> TransitionDocument:
    """The 入院時情報提供書 goes to the 地域連携室 the episode names; that is the 入院時情報提供."""
    document = document_for(actor, pk)
    episode = document.episode
    if (
        episode is None
        or document.kind != DocumentKind.ADMISSION_INFO
        or not permissions.can_write_document(actor, episode, document.kind)
    ):
        raise PermissionDenied
    if episode.liaison_user_id is None:
        raise TransitionError(
            "この入院には地域連携室の担当者（Renkeiの利用者）が記録されていません。PDFを印刷して届けてください。"
        )
    if document.sent_at is None:
        document.sent_at = timezone.now()
        document.save(update_fields=["sent_at"])
        if episode.admission_info_sent_at is None:
            episode.admission_info_sent_at = document.sent_at
            episode.save(update_fields=["admission_info_sent_at", "updated_at"])
        log_document(actor, document, AccessLog.Action.UPDATE)
    return document


def basic_rows(snapshot: dict[str, Any]) -> list[tuple[str, str]]:
    """The 基本情報 of a document's head, in words."""
    from renkei.sharing.models import Patient

    rows = [
        ("氏名", f"{snapshot.get('name', '')}（{snapshot.get('kana', '')}）"),
        ("生年月日", documents.FieldSpec("birth_date", "", "date").display(snapshot.get("birth_date", ""))),
        ("性別", str(dict(Patient.Sex.choices).get(snapshot.get("sex", ""), "—"))),
        ("住所", snapshot.get("address", "") or "—"),
        ("介護保険被保険者番号", snapshot.get("insurance_number", "") or "—"),
    ]
    if snapshot.get("hospital"):
        admitted = timezone.localtime(datetime.fromisoformat(snapshot["admitted_at"]))
        rows.append(("入院先", f"{snapshot['hospital']} {snapshot.get('ward', '')}".strip()))
        rows.append(("入院日時", f"{admitted.year}年{admitted.month}月{admitted.day}日 {admitted:%H:%M}"))
    return rows


def _imported_rows(document: TransitionDocument) -> list[tuple[str, str]]:
    """What an imported document said beyond its fields: who sent it, to whom, its lists and sections."""
    if document.source != TransitionDocument.Source.FHIR:
        return []
    content = document.content
    rows = [
        ("送り元", " ".join(filter(None, [content["from"]["name"], content["from"]["code"]])) or "—"),
        ("宛先", " ".join(filter(None, [content["to"]["name"], content["to"]["code"]])) or "—"),
        ("記載者", content.get("author_name") or "—"),
        ("傷病名", "\n".join(content["conditions_list"]) or "—"),
        ("アレルギー", "\n".join(content["allergies_list"]) or "—"),
        ("服薬", "\n".join(content["medications_list"]) or "—"),
    ]
    return rows + [(title, text) for title, text in content.get("narrative", [])]


def page_context(document: TransitionDocument) -> dict[str, Any]:
    content = document.content
    kind = document.kind
    return {
        "document": document,
        "basic": basic_rows(content.get("patient", {})),
        "sections": documents.sections(kind, content) if kind in documents.FIELDS else [],
        "narrative": _imported_rows(document),
        "printed_at": timezone.localtime(),
    }


def document_pdf(actor: User, pk: int) -> tuple[TransitionDocument, bytes]:
    document = document_for(actor, pk)
    log_document(actor, document, AccessLog.Action.PRINT, "transition_document_pdf")
    return document, render_pdf("transitions/document_pdf.html", page_context(document))
