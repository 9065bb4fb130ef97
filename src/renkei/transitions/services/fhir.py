"""FHIR exchange of 入退院 documents, both ways, logged as the page's reads and writes are."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from renkei.core import permissions
from renkei.core.models import AccessLog, User
from renkei.sharing import services as sharing
from renkei.sharing.models import Patient
from renkei.transitions import documents, fhir_codes
from renkei.transitions.fhir_export import bundle_json
from renkei.transitions.fhir_import import FhirRefused, ReadDocument, read_bundle
from renkei.transitions.models import RENKEI_KINDS, TransitionDocument
from renkei.transitions.services.documents import clean_content, document_for, log_document
from renkei.transitions.services.episodes import episode_for


def export_document(actor: User, pk: int) -> dict[str, Any]:
    document = document_for(actor, pk)
    if document.kind not in fhir_codes.EXPORT_TYPES:
        raise FhirRefused(
            "取り込んだ文書はFHIRで出力できません。送り元の文書をお使いください。", code="fhir_not_exportable"
        )
    log_document(actor, document, AccessLog.Action.EXPORT, "fhir_document")
    return bundle_json(document)


def _same_person(read: ReadDocument, patient: Patient) -> bool:
    return (
        sharing.kana_key(read.patient["kana"]) == patient.kana_key
        and read.patient["birth_date"] == patient.birth_date.isoformat()
    )


def _matched_or_new(actor: User, read: ReadDocument) -> Patient:
    """Without a target: the patient of the user's region whom the user sees, or a new patient of the
    user's organisation — refused when the region holds the person in a record the user cannot see
    (the registration page's duplicate check)."""
    birth_date = date.fromisoformat(read.patient["birth_date"])
    visible = permissions.patients_visible_to(actor).filter(
        kana_key=sharing.kana_key(read.patient["kana"]), birth_date=birth_date
    )
    found = list(visible[:2])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise FhirRefused(
            "同じふりがな・生年月日の利用者が複数います。取込先の利用者を指定してください。",
            "patient",
            code="fhir_ambiguous_patient",
        )
    if sharing.is_possible_duplicate(actor, read.patient["kana"], birth_date):
        raise FhirRefused(
            "同じふりがな・生年月日の利用者が圏域内ですでに登録されています。登録した組織にケアチームへの招待を依頼してください。",
            "patient",
            code="possible_duplicate",
            status=409,
        )
    municipality = actor.organization.municipality if actor.organization else None
    return sharing.register_patient(
        actor,
        {
            "full_name": read.patient["name"] or read.patient["kana"],
            "full_name_kana": read.patient["kana"],
            "birth_date": birth_date,
            "sex": read.patient["sex"],
            "municipality": municipality,
            "address": read.patient["address"][:300],
        },
    )


def _content(read: ReadDocument) -> dict[str, Any]:
    content: dict[str, Any] = {
        "patient": read.patient,
        "from": read.sender,
        "to": read.recipient,
        "author_name": read.author_name,
        "conditions_list": read.conditions,
        "allergies_list": read.allergies,
        "medications_list": read.medications,
        "narrative": read.narrative,
    }
    if read.kind in RENKEI_KINDS:
        known = {spec.name for spec in documents.FIELDS[read.kind]}
        content |= clean_content(read.kind, {k: v for k, v in read.fields.items() if k in known})
    return content


@transaction.atomic
def import_document(
    actor: User, raw: bytes, *, patient_pk: int | None = None, episode_pk: int | None = None
) -> TransitionDocument:
    """Nothing is written unless the whole document is read and its patient matches the target."""
    if not permissions.can_have_patients(actor):
        raise PermissionDenied
    read = read_bundle(raw)
    episode = None
    if episode_pk is not None:
        episode, _ = episode_for(actor, episode_pk, "can_edit")
        if not permissions.can_write_document(actor, episode, read.kind):
            raise PermissionDenied
        patient = episode.patient
    elif patient_pk is not None:
        patient, _ = sharing.patient_for(actor, patient_pk, "can_post")
    else:
        patient = _matched_or_new(actor, read)
    if not _same_person(read, patient):
        raise FhirRefused(
            "文書の患者（ふりがな・生年月日）が取込先の利用者と一致しません。取込先を確かめてください。",
            "patient",
            code="fhir_patient_mismatch",
        )
    document = TransitionDocument.objects.create(
        patient=patient,
        episode=episode,
        kind=read.kind,
        source=TransitionDocument.Source.FHIR,
        content=_content(read),
        author=actor,
        bundle_identifier=read.identifier,
    )
    log_document(actor, document, AccessLog.Action.CREATE, "fhir_document")
    return document


def import_summary(document: TransitionDocument) -> dict[str, Any]:
    """The command's one JSON line (names as written in the document)."""
    content = document.content
    patient = content["patient"]
    return {
        "document_id": document.pk,
        "kind": document.kind,
        "patient": {
            "id": document.patient_id,
            "name": patient["name"],
            "kana": patient["kana"],
            "birth_date": patient["birth_date"],
            "sex": patient["sex"],
        },
        "from": content["from"],
        "to": content["to"],
        "conditions": content["conditions_list"],
        "allergies": content["allergies_list"],
        "medications": content["medications_list"],
    }
