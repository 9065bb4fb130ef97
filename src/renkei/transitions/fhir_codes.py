"""The code and identifier systems of Renkei's FHIR documents. JP Core / JP-CLINS systems where they
apply (documents' type codes, section codes, the kana name representation, 医療機関コード); Renkei's
own URNs for what they do not cover (the 介護 documents and their fields, care offices, Renkei ids).
README's section 入退院調整 lists them."""

from __future__ import annotations

from renkei.transitions.models import DocumentKind

DOC_TYPES = "http://jpfhir.jp/fhir/Common/CodeSystem/doc-typecodes"
LOINC = "http://loinc.org"
EREFERRAL_SECTIONS = "http://jpfhir.jp/fhir/eReferral/CodeSystem/document-section"
CLINS_SECTIONS = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section"
NAME_REPRESENTATION = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation"
MEDICAL_INSTITUTION = "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no"
RESOURCE_INSTANCE = "http://jpfhir.jp/fhir/core/IdSystem/resourceInstance-identifier"

RENKEI_DOC_TYPES = "urn:renkei:fhir:CodeSystem:document-type"
RENKEI_SECTIONS = "urn:renkei:fhir:CodeSystem:document-section"
RENKEI_FIELDS = "urn:renkei:fhir:CodeSystem:document-field"
RENKEI_PATIENT = "urn:renkei:patient-id"
RENKEI_DOCUMENT = "urn:renkei:document-id"
RENKEI_ORGANIZATION = "urn:renkei:organization-id"
CARE_OFFICE = "urn:renkei:care-office-number"  # 介護保険事業所番号 (no JP Core system)
LTCI_INSURED = "urn:renkei:ltci-insured-number"  # 介護保険被保険者番号

# Composition.type: Renkei's code, with LOINC beside it where one fits.
EXPORT_TYPES: dict[str, list[tuple[str, str, str]]] = {
    DocumentKind.ADMISSION_INFO: [
        (RENKEI_DOC_TYPES, "admission-info", "入院時情報提供書"),
        (LOINC, "18761-7", "Transfer summary note"),
    ],
    DocumentKind.DISCHARGE_RECORD: [(RENKEI_DOC_TYPES, "discharge-record", "退院・退所情報記録書")],
}

# What an imported Composition.type means (any system: the code decides).
IMPORT_TYPES = {
    "admission-info": DocumentKind.ADMISSION_INFO,
    "discharge-record": DocumentKind.DISCHARGE_RECORD,
    "57133-1": DocumentKind.REFERRAL,
    "18842-5": DocumentKind.DISCHARGE_SUMMARY,
    "60591-5": DocumentKind.PATIENT_SUMMARY,
}

# Section codes of the sender's and the recipient's details (eReferral 紹介先 910, 紹介元 920).
RECIPIENT_SECTION = "910"
SENDER_SECTION = "920"
