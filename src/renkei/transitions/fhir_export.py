"""A Renkei document as a FHIR R4 ``Bundle`` of type ``document``: the Composition first, then the
Patient, the author (Practitioner) and organisations, the Encounter of the stay, and Condition /
AllergyIntolerance / MedicationStatement for what the document lists. Each field of the 様式 is a
sub-section (Renkei's field code, its value as the narrative), so an import gives back every field.
Built as plain JSON and validated with ``fhir.resources`` (R4B models, the R4 structures used here)."""

from __future__ import annotations

import re
import uuid
from html import escape
from typing import Any

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from renkei.core.models import Organization, User
from renkei.transitions import documents, fhir_codes
from renkei.transitions.models import DocumentKind, TransitionDocument

XHTML = "http://www.w3.org/1999/xhtml"
LIST_SPLIT = re.compile(r"[\n、，,]+")


def split_list(text: str) -> list[str]:
    return [item.strip() for item in LIST_SPLIT.split(text or "") if item.strip()]


def narrative(text: str) -> dict[str, str]:
    lines = "<br/>".join(escape(line) for line in text.split("\n"))
    return {"status": "generated", "div": f'<div xmlns="{XHTML}">{lines}</div>'}


def _urn(document: TransitionDocument, part: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'renkei-document-{document.pk}-{part}')}"


def _patient(document: TransitionDocument) -> dict[str, Any]:
    snapshot = document.content.get("patient", {})

    def name(text: str, representation: str) -> dict[str, Any]:
        family, _, given = text.partition(" ")
        value: dict[str, Any] = {
            "extension": [{"url": fhir_codes.NAME_REPRESENTATION, "valueCode": representation}],
            "use": "official",
            "text": text,
            "family": family,
        }
        return value | ({"given": [given]} if given else {})

    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [{"system": fhir_codes.RENKEI_PATIENT, "value": str(document.patient_id)}],
        "name": [name(snapshot.get("name", ""), "IDE"), name(snapshot.get("kana", ""), "SYL")],
        "gender": {"female": "female", "male": "male"}.get(snapshot.get("sex", ""), "other"),
        "birthDate": snapshot.get("birth_date"),
    }
    if snapshot.get("insurance_number"):
        resource["identifier"].append(
            {"system": fhir_codes.LTCI_INSURED, "value": snapshot["insurance_number"]}
        )
    if snapshot.get("address"):
        resource["address"] = [{"text": snapshot["address"]}]
    return resource


def _organization(
    name: str, code_system: str = "", code: str = "", renkei_id: int | None = None
) -> dict[str, Any]:
    identifiers = []
    if code:
        identifiers.append({"system": code_system, "value": code})
    if renkei_id is not None:
        identifiers.append({"system": fhir_codes.RENKEI_ORGANIZATION, "value": str(renkei_id)})
    return {"resourceType": "Organization", "name": name} | (
        {"identifier": identifiers} if identifiers else {}
    )


def _care_office(organization: Organization | None) -> dict[str, Any]:
    if organization is None:
        return _organization("（不明）")
    facility = getattr(organization, "facility", None)
    number = getattr(facility, "care_office_number", None) or ""
    return _organization(organization.name, fhir_codes.CARE_OFFICE, number, organization.pk)


def _hospital(document: TransitionDocument) -> dict[str, Any]:
    episode = document.episode
    if episode is None:
        return _organization(document.content.get("patient", {}).get("hospital", "（不明）"))
    facility = episode.hospital_facility
    code = (facility.medical_institution_id or "") if facility is not None else ""
    return _organization(episode.hospital_name, fhir_codes.MEDICAL_INSTITUTION, code)


def _practitioner(author: User | None) -> dict[str, Any]:
    name = author.full_name if author else "（不明）"
    return {"resourceType": "Practitioner", "name": [{"text": name}]}


def _field_sections(document: TransitionDocument, entries: dict[str, list[str]]) -> list[dict[str, Any]]:
    sections = []
    for number, (title, rows) in enumerate(documents.sections(document.kind, document.content), start=1):
        subsections = [
            {
                "title": spec.label,
                "code": {"coding": [{"system": fhir_codes.RENKEI_FIELDS, "code": spec.name}]},
                "text": narrative(str(document.content.get(spec.name, ""))),
            }
            for spec, _shown in rows
            if document.content.get(spec.name)
        ]
        if not subsections:
            continue
        section: dict[str, Any] = {
            "title": title,
            "code": {"coding": [{"system": fhir_codes.RENKEI_SECTIONS, "code": f"{document.kind}-{number}"}]},
            "text": narrative("\n".join(f"{spec.label}: {shown}" for spec, shown in rows if shown)),
            "section": subsections,
        }
        refs = [ref for spec, _ in rows for ref in entries.get(spec.name, [])]
        if refs:
            section["entry"] = [{"reference": ref} for ref in refs]
        sections.append(section)
    return sections


def _listed(
    document: TransitionDocument, patient_ref: str
) -> tuple[list[tuple[str, dict]], dict[str, list[str]]]:
    """Condition / AllergyIntolerance / MedicationStatement for what the document lists, and which
    field each came from."""
    content = document.content
    made: list[tuple[str, dict]] = []
    by_field: dict[str, list[str]] = {}
    subject = {"reference": patient_ref}
    sources = [
        ("conditions", "Condition"),
        ("cause", "Condition"),
        ("allergies", "AllergyIntolerance"),
        ("medications", "MedicationStatement"),
    ]
    for field, resource_type in sources:
        for index, text in enumerate(split_list(str(content.get(field, "")))):
            if resource_type == "Condition":
                resource = {"resourceType": "Condition", "code": {"text": text}, "subject": subject}
            elif resource_type == "AllergyIntolerance":
                resource = {"resourceType": "AllergyIntolerance", "code": {"text": text}, "patient": subject}
            else:
                resource = {
                    "resourceType": "MedicationStatement",
                    "status": "active",
                    "medicationCodeableConcept": {"text": text},
                    "subject": subject,
                }
            ref = _urn(document, f"{field}-{index}")
            made.append((ref, resource))
            by_field.setdefault(field, []).append(ref)
    return made, by_field


def _section_code(code: str) -> dict[str, Any]:
    return {"coding": [{"system": fhir_codes.EREFERRAL_SECTIONS, "code": code}]}


def _composition(
    document: TransitionDocument, refs: dict[str, str], by_field: dict[str, list[str]], created: str
) -> dict[str, Any]:
    """The Composition: who wrote it for whom (the eReferral 紹介先/紹介元 sections), then the 様式."""
    sender, recipient = (
        (refs["office"], refs["hospital"])
        if document.kind == DocumentKind.ADMISSION_INFO
        else (refs["hospital"], refs["office"])
    )
    types = fhir_codes.EXPORT_TYPES[document.kind]
    composition: dict[str, Any] = {
        "resourceType": "Composition",
        "language": "ja",
        "identifier": {"system": fhir_codes.RENKEI_DOCUMENT, "value": str(document.pk)},
        "status": "final",
        "type": {"coding": [{"system": s, "code": c, "display": d} for s, c, d in types]},
        "subject": {"reference": refs["patient"]},
        "date": created,
        "author": [{"reference": refs["author"]}, {"reference": sender}],
        "title": DocumentKind(document.kind).label,
        "custodian": {"reference": sender},
        "section": [
            {
                "title": "紹介先情報",
                "code": _section_code(fhir_codes.RECIPIENT_SECTION),
                "entry": [{"reference": recipient}],
            },
            {
                "title": "紹介元情報",
                "code": _section_code(fhir_codes.SENDER_SECTION),
                "entry": [{"reference": sender}, {"reference": refs["author"]}],
            },
            *_field_sections(document, by_field),
        ],
    }
    if document.episode is not None:
        composition["encounter"] = {"reference": refs["encounter"]}
    return composition


def _encounter(document: TransitionDocument, refs: dict[str, str]) -> dict[str, Any]:
    episode = document.episode
    assert episode is not None  # only called for a document of an episode
    return {
        "resourceType": "Encounter",
        "status": "in-progress" if episode.is_open else "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
        "subject": {"reference": refs["patient"]},
        "period": {"start": timezone.localtime(episode.admitted_at).isoformat(timespec="seconds")},
        "serviceProvider": {"reference": refs["hospital"]},
    }


def bundle_json(document: TransitionDocument) -> dict[str, Any]:
    """The Bundle as JSON, validated by ``fhir.resources`` (a ``ValidationError`` is a bug here)."""
    if document.kind not in fhir_codes.EXPORT_TYPES:
        raise ValueError("only Renkei's own documents are exported")
    parts = ("composition", "patient", "author", "office", "hospital", "encounter")
    refs = {part: _urn(document, part) for part in parts}
    listed, by_field = _listed(document, refs["patient"])
    created = timezone.localtime(document.created_at).isoformat(timespec="seconds")
    resources: list[tuple[str, dict[str, Any]]] = [
        (refs["composition"], _composition(document, refs, by_field, created)),
        (refs["patient"], _patient(document)),
        (refs["author"], _practitioner(document.author)),
        (refs["office"], _care_office(document.author.organization if document.author else None)),
        (refs["hospital"], _hospital(document)),
    ]
    if document.episode is not None:
        resources.append((refs["encounter"], _encounter(document, refs)))
    resources.extend(listed)
    data = {
        "resourceType": "Bundle",
        "identifier": {
            "system": fhir_codes.RESOURCE_INSTANCE,
            "value": f"renkei^{document.created_at.year}^{document.pk}",
        },
        "type": "document",
        "timestamp": created,
        "entry": [{"fullUrl": ref, "resource": resource} for ref, resource in resources],
    }
    Bundle.model_validate(data)
    return data
