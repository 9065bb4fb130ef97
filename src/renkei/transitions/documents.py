"""The fields of the two documents Renkei writes, after the 厚労省 様式例: the 入院時情報提供書 (care
manager → hospital) and the 退院・退所情報記録書 (what the hospital said, or wrote). One list per
document drives the form, the checks of the service, the page, the PDF and the FHIR sections.

``content`` of a document is a dict of these names to strings (dates as ISO ``YYYY-MM-DD``,
date-times as ``YYYY-MM-DDTHH:MM``); the patient's details are kept beside them under ``patient``
as they were when the document was written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from renkei.sharing.models import AdlLevel, Patient
from renkei.transitions.models import DocumentKind, Episode

ADL = tuple(AdlLevel.choices)
DEMENTIA = tuple((v, v) for v in ("自立", "Ⅰ", "Ⅱa", "Ⅱb", "Ⅲa", "Ⅲb", "Ⅳ", "M"))
DISABILITY = tuple((v, v) for v in ("自立", "J1", "J2", "A1", "A2", "B1", "B2", "C1", "C2"))
COPAYMENT = (("1", "1割"), ("2", "2割"), ("3", "3割"), ("unknown", "不明"))
YES_NO = (("yes", "あり"), ("no", "なし"))
WISH = (("yes", "希望する"), ("no", "希望しない"))


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = "textarea"  # text, textarea, choice, date, datetime
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False
    section: str = ""
    max_length: int = 2000

    def display(self, value: str) -> str:
        if self.kind == "choice":
            return dict(self.choices).get(value, value)
        if value and self.kind == "date":
            parsed = date.fromisoformat(value)
            return f"{parsed.year}年{parsed.month}月{parsed.day}日"
        if value and self.kind == "datetime":
            moment = datetime.fromisoformat(value)
            return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"
        return value


def _adl(section: str) -> list[FieldSpec]:
    return [
        FieldSpec(f"adl_{name}", label, "choice", ADL, section=section)
        for name, label in (
            ("eating", "食事"),
            ("toileting", "排泄"),
            ("bathing", "入浴"),
            ("mobility", "移動"),
            ("dressing", "更衣"),
        )
    ]


ADMISSION_FIELDS = [
    FieldSpec("emergency_contacts", "緊急連絡先", section="基本情報"),
    FieldSpec("physician", "かかりつけ医", "text", section="基本情報", max_length=200),
    FieldSpec("care_level", "要介護度", "text", section="介護保険", max_length=50),
    FieldSpec("certification_period", "認定期間", "text", section="介護保険", max_length=100),
    FieldSpec("copayment", "負担割合", "choice", COPAYMENT, section="介護保険"),
    FieldSpec("family", "家族構成・キーパーソン", required=True, section="家族・住環境"),
    FieldSpec("housing", "住環境", section="家族・住環境"),
    *_adl("ADL・IADL"),
    FieldSpec("iadl", "IADL（調理・買物・金銭管理など）", section="ADL・IADL"),
    FieldSpec("dementia_level", "認知症高齢者の日常生活自立度", "choice", DEMENTIA, section="ADL・IADL"),
    FieldSpec("disability_level", "障害高齢者の日常生活自立度", "choice", DISABILITY, section="ADL・IADL"),
    FieldSpec("conditions", "主な疾患・既往歴", section="医療"),
    FieldSpec("allergies", "アレルギー", section="医療"),
    FieldSpec("medications", "服薬", section="医療"),
    FieldSpec("procedures", "医療処置", section="医療"),
    FieldSpec("wishes", "本人・家族の意向", section="意向・サービス"),
    FieldSpec("services", "利用中のサービス", section="意向・サービス"),
    FieldSpec(
        "conference_wish", "退院前カンファレンスへの参加希望", "choice", WISH, section="意向・サービス"
    ),
]

DISCHARGE_FIELDS = [
    FieldSpec("cause", "入院原因疾患", required=True, section="入院・退院"),
    FieldSpec("expected_discharge", "退院予定日", "date", section="入院・退院"),
    FieldSpec("medical_management", "今後の医学管理", section="医療"),
    FieldSpec("medications", "服薬", section="医療"),
    FieldSpec("procedures", "医療処置", section="医療"),
    *_adl("ADL"),
    FieldSpec("nursing_view", "看護の視点", section="看護・リハビリ"),
    FieldSpec("rehab_view", "リハビリの視点", section="看護・リハビリ"),
    FieldSpec("contraindications", "禁忌事項", section="看護・リハビリ"),
    FieldSpec("wishes", "本人・家族の受け止めと意向", section="意向"),
    FieldSpec("conference_held", "カンファレンスの有無", "choice", YES_NO, section="カンファレンス"),
    FieldSpec("conference_at", "カンファレンスの日時", "datetime", section="カンファレンス"),
    FieldSpec(
        "heard_from",
        "聞き取った相手（職種・氏名）",
        "text",
        required=True,
        section="聞き取り",
        max_length=200,
    ),
    FieldSpec("heard_at", "聞き取った日時", "datetime", required=True, section="聞き取り"),
]

FIELDS: dict[str, list[FieldSpec]] = {
    DocumentKind.ADMISSION_INFO: ADMISSION_FIELDS,
    DocumentKind.DISCHARGE_RECORD: DISCHARGE_FIELDS,
}


def patient_snapshot(patient: Patient, episode: Episode | None) -> dict[str, Any]:
    """The 基本情報 printed at the head of each document, as they were when it was written."""
    snapshot = {
        "name": patient.full_name,
        "kana": patient.full_name_kana,
        "birth_date": patient.birth_date.isoformat(),
        "sex": patient.sex,
        "address": f"{patient.municipality.name} {patient.address}".strip(),
        "insurance_number": patient.insurance_number,
    }
    if episode is not None:
        snapshot |= {
            "hospital": episode.hospital_name,
            "ward": episode.ward,
            "admitted_at": episode.admitted_at.isoformat(),
        }
    return snapshot


def prefill(kind: str, patient: Patient, episode: Episode) -> dict[str, str]:
    """What the patient's record (and the episode) already says, for the form to start from."""
    if kind == DocumentKind.ADMISSION_INFO:
        return {
            "emergency_contacts": patient.emergency_contacts,
            "physician": patient.physician_label,
            "care_level": patient.get_care_level_display(),
            "conditions": patient.conditions,
            "allergies": patient.allergies,
            "medications": patient.medications,
        }
    return {
        "expected_discharge": episode.expected_discharge.isoformat() if episode.expected_discharge else "",
        "medications": patient.medications,
    }


def sections(kind: str, content: dict[str, Any]) -> list[tuple[str, list[tuple[FieldSpec, str]]]]:
    """The document as (section, [(field, shown value)]) in the 様式's order."""
    grouped: dict[str, list[tuple[FieldSpec, str]]] = {}
    for spec in FIELDS[kind]:
        grouped.setdefault(spec.section, []).append((spec, spec.display(str(content.get(spec.name, "")))))
    return list(grouped.items())
