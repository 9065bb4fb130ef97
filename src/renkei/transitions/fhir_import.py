"""Reading a FHIR document Bundle from an outside system (JP-CLINS 診療情報提供書, 退院時サマリー,
患者サマリー) or from Renkei itself. Everything is checked before anything is written: the size
(before parsing), JSON, a ``Bundle`` of type ``document`` whose first entry is a Composition, known
resource types, the structures (validated by ``fhir.resources``), a Patient with ふりがな and 生年月日.
Each refusal is a :class:`FhirRefused` with a Japanese reason."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from renkei.transitions import fhir_codes
from renkei.transitions.services._common import TransitionError

MAX_BYTES = 2 * 1024 * 1024
BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4"}


class FhirRefused(TransitionError):
    """A document that cannot be imported; nothing was written."""


@dataclass
class ReadDocument:
    kind: str
    patient: dict[str, str]
    sender: dict[str, str]
    recipient: dict[str, str]
    author_name: str = ""
    conditions: list[str] = field(default_factory=list)
    allergies: list[str] = field(default_factory=list)
    medications: list[str] = field(default_factory=list)
    narrative: list[list[str]] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    identifier: str = ""


def _refuse(message: str, code: str, status: int = 400) -> FhirRefused:
    return FhirRefused(message, "file", code=code, status=status)


class _TextOf(HTMLParser):
    """The narrative's text. The stdlib HTML parser, not an XML one: it expands no entities of a
    DTD (the XHTML of a narrative has none) and fetches nothing."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "br" or (tag in BLOCKS and self.parts and not self.parts[-1].endswith("\n")):
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def div_text(div: str) -> str:
    """The narrative's text: line breaks for <br/> and block elements, no markup."""
    parser = _TextOf()
    parser.feed(div)
    parser.close()
    return "".join(parser.parts).strip()


def _load(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_BYTES:
        raise _refuse(f"ファイルが大きすぎます（{MAX_BYTES // 1024 // 1024}MBまで）。", "fhir_too_large", 413)
    if b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper():
        raise _refuse("文書に使えない宣言（DOCTYPE・ENTITY）が含まれています。", "fhir_malformed")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deep
        raise _refuse(
            "JSONとして読めません（UTF-8のFHIR JSONを指定してください）。", "fhir_malformed"
        ) from None
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise _refuse("FHIRのBundleではありません。", "fhir_not_document")
    if data.get("type") != "document":
        raise _refuse(
            f"Bundleの種類が document ではありません（{str(data.get('type'))[:30]}）。", "fhir_not_document"
        )
    entries = data.get("entry")
    if not isinstance(entries, list) or not entries:
        raise _refuse("Bundleに中身（entry）がありません。", "fhir_no_composition")
    for entry in entries:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            raise _refuse("Bundleのentryにリソースがありません。", "fhir_malformed")
        name = str(resource.get("resourceType"))
        try:
            get_fhir_model_class(name)
        except (ValueError, KeyError):
            raise _refuse(f"知らないリソースの種類です: {name[:40]}", "fhir_unknown_resource") from None
    if entries[0]["resource"].get("resourceType") != "Composition":
        raise _refuse("Bundleの最初のentryがCompositionではありません。", "fhir_no_composition")
    try:
        Bundle.model_validate(data)
    except RecursionError:
        raise _refuse("FHIRの形式に合いません（入れ子が深すぎます）。", "fhir_malformed") from None
    except ValidationError as exc:
        where = ".".join(str(part) for part in exc.errors()[0]["loc"])[:120]
        raise _refuse(f"FHIRの形式に合いません（{where}）。", "fhir_malformed") from None
    except (KeyError, ValueError, TypeError):
        raise _refuse("FHIRの形式に合いません。", "fhir_malformed") from None
    return data


def _text(concept: dict[str, Any] | None) -> str:
    if not concept:
        return ""
    if concept.get("text"):
        return str(concept["text"])
    for coding in concept.get("coding") or []:
        if coding.get("display") or coding.get("code"):
            return str(coding.get("display") or coding.get("code"))
    return ""


def _codes(concept: dict[str, Any] | None) -> list[tuple[str, str]]:
    return [(c.get("system", ""), c.get("code", "")) for c in (concept or {}).get("coding") or []]


def _names(patient: dict[str, Any]) -> tuple[str, str]:
    name = kana = ""
    for human in patient.get("name") or []:
        text = human.get("text") or " ".join([human.get("family", ""), *human.get("given", [])]).strip()
        representation = next(
            (
                e.get("valueCode")
                for e in human.get("extension") or []
                if e.get("url") == fhir_codes.NAME_REPRESENTATION
            ),
            "",
        )
        if representation == "SYL":
            kana = kana or text
        elif representation in ("IDE", "") and not name:
            name = text
    return name, kana


def _organization(resource: dict[str, Any] | None) -> dict[str, str]:
    if not resource or resource.get("resourceType") != "Organization":
        return {"name": "", "code": ""}
    # Renkei's own row id is no code another system knows.
    identifiers = [
        i for i in resource.get("identifier") or [] if i.get("system") != fhir_codes.RENKEI_ORGANIZATION
    ]
    preferred = [
        i for i in identifiers if i.get("system") in (fhir_codes.MEDICAL_INSTITUTION, fhir_codes.CARE_OFFICE)
    ]
    chosen = (preferred or identifiers or [{}])[0]
    return {"name": str(resource.get("name", "")), "code": str(chosen.get("value", ""))}


class _Resolver:
    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.by_ref: dict[str, dict[str, Any]] = {}
        for entry in entries:
            resource = entry["resource"]
            if entry.get("fullUrl"):
                self.by_ref[entry["fullUrl"]] = resource
            if resource.get("id"):
                self.by_ref[f"{resource['resourceType']}/{resource['id']}"] = resource
        self.resources = [entry["resource"] for entry in entries]

    def get(self, reference: dict[str, Any] | None) -> dict[str, Any] | None:
        return self.by_ref.get((reference or {}).get("reference", ""))

    def of_type(self, *names: str) -> list[dict[str, Any]]:
        return [r for r in self.resources if r.get("resourceType") in names]


def _sections(composition: dict[str, Any], resolve: _Resolver, read: ReadDocument) -> None:
    for section in composition.get("section") or []:
        codes = {code for _system, code in _codes(section.get("code"))}
        if fhir_codes.RECIPIENT_SECTION in codes or fhir_codes.SENDER_SECTION in codes:
            organization = next(
                (
                    o
                    for o in (resolve.get(e) for e in section.get("entry") or [])
                    if o and o["resourceType"] == "Organization"
                ),
                None,
            )
            if fhir_codes.RECIPIENT_SECTION in codes:
                read.recipient = _organization(organization)
            elif organization and not read.sender["name"]:
                read.sender = _organization(organization)
            continue
        fields = [
            (code, sub)
            for sub in section.get("section") or []
            for system, code in _codes(sub.get("code"))
            if system == fhir_codes.RENKEI_FIELDS
        ]
        for code, sub in fields:
            read.fields[code] = div_text((sub.get("text") or {}).get("div", ""))
        if not fields:
            text = div_text((section.get("text") or {}).get("div", ""))
            if text:
                read.narrative.append([str(section.get("title", "")), text])


def read_bundle(raw: bytes) -> ReadDocument:
    data = _load(raw)
    resolve = _Resolver(data["entry"])
    composition = data["entry"][0]["resource"]
    kind = next(
        (
            fhir_codes.IMPORT_TYPES[c]
            for _s, c in _codes(composition.get("type"))
            if c in fhir_codes.IMPORT_TYPES
        ),
        None,
    )
    if kind is None:
        raise _refuse("対応していない文書の種類です（Composition.type）。", "fhir_unsupported_type")
    patient = resolve.get(composition.get("subject"))
    if not patient or patient.get("resourceType") != "Patient":
        raise _refuse("文書の患者（Patient）がBundleにありません。", "fhir_no_patient")
    name, kana = _names(patient)
    if not kana or not patient.get("birthDate"):
        raise _refuse("文書の患者にふりがな・生年月日がなく、利用者と照合できません。", "fhir_no_patient")
    authors = [resolve.get(a) for a in composition.get("author") or []]
    sender = resolve.get(composition.get("custodian")) or next(
        (a for a in authors if a and a["resourceType"] == "Organization"), None
    )
    practitioner = next((a for a in authors if a and a["resourceType"] == "Practitioner"), None)
    read = ReadDocument(
        kind=kind,
        patient={
            "name": name,
            "kana": kana,
            "birth_date": str(patient["birthDate"]),
            "sex": {"female": "female", "male": "male"}.get(patient.get("gender", ""), "other"),
            "address": next((str(a.get("text", "")) for a in patient.get("address") or []), ""),
        },
        sender=_organization(sender),
        recipient={"name": "", "code": ""},
        author_name=next((str(n.get("text", "")) for n in (practitioner or {}).get("name") or []), ""),
        identifier=str((data.get("identifier") or {}).get("value", ""))[:200],
    )
    _sections(composition, resolve, read)
    read.conditions = [t for t in (_text(r.get("code")) for r in resolve.of_type("Condition")) if t]
    read.allergies = [t for t in (_text(r.get("code")) for r in resolve.of_type("AllergyIntolerance")) if t]
    for resource in resolve.of_type("MedicationStatement", "MedicationRequest"):
        medication = resource.get("medicationCodeableConcept") or (
            resolve.get(resource.get("medicationReference")) or {}
        ).get("code")
        if _text(medication):
            read.medications.append(_text(medication))
    return read
