"""Sheets a region or a municipality defines, their versions, and the sheets filled on a patient's
timeline. A definition's fields and a filled sheet's answers are each checked against one JSON
Schema (:mod:`renkei.transitions.sheets.schema`). Publishing a version freezes it and supersedes
the one before; a filled sheet keeps its version and shows with that version's fields."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, Municipality, Region, User
from renkei.sharing.models import Patient, PostCategory
from renkei.sharing.services import create_post, patient_for
from renkei.transitions.models import FilledSheet, SheetDefinition, SheetStatus, SheetVersion
from renkei.transitions.services._common import TransitionError
from renkei.transitions.sheets import schema
from renkei.transitions.sheets.seed import COLLABORATION_KEY


class SheetError(TransitionError):
    """A sheet definition or a filled sheet the rules refuse (message in Japanese)."""


def _refuse_definition(fields: Any) -> None:
    problems = schema.definition_errors(fields)
    if problems:
        raise SheetError(problems[0], "fields", errors=[{"field": "fields", "message": p} for p in problems])


def _editable(actor: User, definition: SheetDefinition) -> None:
    if not permissions.can_edit_sheet_definition(actor, definition):
        raise PermissionDenied


def definitions_for(actor: User) -> QuerySet[SheetDefinition]:
    """The definitions ``actor`` may edit (none for who may edit none)."""
    return (
        permissions.editable_sheet_definitions(actor)
        .select_related("region", "municipality")
        .prefetch_related("versions")
        .order_by("name", "pk")
    )


def definition_for(actor: User, pk: int) -> SheetDefinition:
    definition = get_object_or_404(SheetDefinition.objects.select_related("region", "municipality"), pk=pk)
    _editable(actor, definition)
    return definition


def create_definition(
    actor: User,
    owner: Region | Municipality,
    name: str,
    key: str = "",
    fields: list[dict[str, Any]] | None = None,
) -> SheetDefinition:
    """A new sheet of ``owner`` with its first version as a draft holding ``fields`` (none yet when
    not given: the editor adds them before publishing)."""
    if not permissions.can_define_sheet(actor, owner):
        raise PermissionDenied
    name = name.strip()
    key = key or f"sheet-{secrets.token_hex(4)}"
    if not name:
        raise SheetError("シート名を入力してください。", "name")
    if fields is not None:
        _refuse_definition(fields)
    owned = {"region": owner} if isinstance(owner, Region) else {"municipality": owner}
    try:
        with transaction.atomic():
            definition = SheetDefinition.objects.create(name=name, key=key, created_by=actor, **owned)
            SheetVersion.objects.create(
                definition=definition, number=1, fields=fields or [], updated_by=actor
            )
    except IntegrityError:
        raise SheetError("同じ識別名のシートがすでにあります。", "key") from None
    return definition


def _version_for_change(actor: User, version_pk: int) -> SheetVersion:
    version = get_object_or_404(
        SheetVersion.objects.select_for_update().select_related("definition"), pk=version_pk
    )
    _editable(actor, version.definition)
    if version.status != SheetStatus.DRAFT:
        raise SheetError(
            "公開した版は変更できません。新しい版を作ってください。", status=409, code="conflict"
        )
    return version


@transaction.atomic
def save_draft(actor: User, version_pk: int, fields: list[dict[str, Any]]) -> SheetVersion:
    version = _version_for_change(actor, version_pk)
    _refuse_definition(fields)
    version.fields = fields
    version.updated_by = actor
    version.save(update_fields=["fields", "updated_by", "updated_at"])
    return version


@transaction.atomic
def publish(actor: User, version_pk: int) -> SheetVersion:
    """The draft becomes the version offered to care teams; the one published before is frozen as
    an old version (its filled sheets keep it)."""
    version = _version_for_change(actor, version_pk)
    _refuse_definition(version.fields)
    SheetVersion.objects.filter(definition=version.definition, status=SheetStatus.PUBLISHED).update(
        status=SheetStatus.SUPERSEDED
    )
    version.status = SheetStatus.PUBLISHED
    version.published_at = timezone.now()
    version.updated_by = actor
    version.save(update_fields=["status", "published_at", "updated_by", "updated_at"])
    return version


@transaction.atomic
def new_version(actor: User, definition_pk: int) -> SheetVersion:
    """A draft of the next version, starting from the latest one's fields (the draft there is, if any)."""
    definition = get_object_or_404(SheetDefinition.objects.select_for_update(), pk=definition_pk)
    _editable(actor, definition)
    latest = definition.versions.order_by("-number").first()
    if latest is not None and latest.status == SheetStatus.DRAFT:
        return latest
    return SheetVersion.objects.create(
        definition=definition,
        number=(latest.number + 1) if latest else 1,
        fields=list(latest.fields) if latest else [],
        updated_by=actor,
    )


def offered_versions(patient: Patient) -> list[SheetVersion]:
    """The published sheets a care team may fill for ``patient``: the region's and the patient's
    municipality's own, the region's first."""
    return list(
        SheetVersion.objects.filter(status=SheetStatus.PUBLISHED)
        .filter(
            definition__in=SheetDefinition.objects.filter(
                permissions.sheets_offered_for(patient.municipality)
            )
        )
        .select_related("definition__region", "definition__municipality")
        .order_by("definition__municipality_id", "definition__name", "pk")
    )


def version_to_fill(actor: User, patient_pk: int, version_pk: int) -> tuple[Patient, SheetVersion]:
    """The patient (``actor`` writes on its timeline) and the offered version to fill."""
    patient, _ = patient_for(actor, patient_pk, "can_post")
    version = next((v for v in offered_versions(patient) if v.pk == version_pk), None)
    if version is None:
        raise SheetError("このシートはこの利用者には使えません（公開中の様式を選んでください）。", status=404)
    return patient, version


def collaboration_version(actor: User, patient_pk: int) -> tuple[Patient, SheetVersion | None]:
    """The patient (``actor`` writes on its timeline) and the published version of its region's
    多職種連携シート; ``None`` when the region has none published (or the municipality no region)."""
    patient, _ = patient_for(actor, patient_pk, "can_post")
    region_id = patient.municipality.region_id
    version = (
        SheetVersion.objects.filter(
            status=SheetStatus.PUBLISHED, definition__region_id=region_id, definition__key=COLLABORATION_KEY
        ).first()
        if region_id is not None
        else None
    )
    return patient, version


def fill_sheet(
    actor: User, patient_pk: int, version_pk: int, answers: dict[str, Any], urgent: bool = False
) -> FilledSheet:
    """Post the filled sheet on the patient's timeline; answers the version's schema refuses are
    refused, every problem beside its field, and nothing is written."""
    patient, version = version_to_fill(actor, patient_pk, version_pk)
    problems = schema.answer_errors(version.fields, answers)
    if problems:
        raise SheetError(problems[0]["message"], problems[0]["field"], errors=problems)
    filled: list[FilledSheet] = []

    def write(post) -> None:
        filled.append(FilledSheet.objects.create(post=post, version=version, answers=answers))

    create_post(actor, patient, category=PostCategory.CONTACT, body="", urgent=urgent, part=write)
    return filled[0]


def print_filled_sheet(actor: User, patient_pk: int, post_id: int) -> tuple[FilledSheet, bytes]:
    """A filled sheet of the timeline as an A4 PDF (logged as printed, as the 多職種連携シート is)."""
    from renkei.transitions.sheets.pdf import filled_sheet_pdf

    patient, access = patient_for(actor, patient_pk)
    filled = get_object_or_404(
        FilledSheet.objects.select_related(
            "post__author__organization", "post__patient", "version__definition"
        ),
        post_id=post_id,
        post__patient=patient,
    )
    content = filled_sheet_pdf(filled)
    record_access(
        actor,
        action=AccessLog.Action.PRINT,
        subject_type="patient",
        subject_id=patient.pk,
        object_type="filled_sheet",
        object_id=filled.post_id,
        flagged=access.emergency_view,
    )
    return filled, content


def describe_filled_sheet(filled: FilledSheet) -> dict[str, Any]:
    """What the timeline API says of a post's filled sheet (the definition's key and name, the version)."""
    definition = filled.version.definition
    return {"key": definition.key, "name": definition.name, "version": filled.version.number}
