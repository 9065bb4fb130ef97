"""One cleaning of a consultation for the form, the API and the import: :func:`clean_consultation`.

Each caller first reads its own input (form fields, JSON, spreadsheet cells) into typed values and
then asks this module whether those values make a case that may be recorded. Problems come back all
at once, each ``{"field", "message"}`` with the field named as on :class:`Consultation`; the caller
shows them on its form fields, as API ``details`` or as row errors, with the messages as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from renkei.consultations.models import AgeBand, ConsultationCategory, Sex, Status
from renkei.consultations.services.institutions import resolve_institution
from renkei.consultations.services.rules import (
    ConsultationError,
    PatientLinkForbidden,
    check_day,
    check_follow_up_date,
    check_received_at,
    check_text,
    desk_staff,
    region_of_desk,
)
from renkei.core import permissions
from renkei.core.models import Municipality, Organization, User
from renkei.sharing.models import Patient
from renkei.sharing.services import visible_patients

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from renkei.directory.models import Facility

FOLLOW_UP_RULE = "follow_up_date"  # the ``rule`` of the error "a continuing case needs a next date"
REQUIRED = ("received_at", "channel", "requester_type", "response")
TEXT_FIELDS = (("summary", True), ("requester_institution", False), ("referred_institution", False))


@dataclass
class CleanConsultation:
    """The values of a case that may be recorded as they are."""

    received_at: datetime
    channel: str
    requester_type: str
    response: str
    categories: list[ConsultationCategory] = field(default_factory=list)
    requester_facility: Facility | None = None
    requester_institution: str = ""
    subject_age_band: str = AgeBand.UNKNOWN
    subject_sex: str = Sex.UNKNOWN
    subject_municipality: Municipality | None = None
    summary: str = ""
    referred_facility: Facility | None = None
    referred_institution: str = ""
    minutes_spent: int | None = None
    status: str = Status.CLOSED
    next_action_on: date | None = None
    staff: User | None = None
    staff_name: str = ""
    patient: Patient | None = None


def linkable_patients(user: User) -> QuerySet[Patient]:
    """The patients a desk worker may choose: those whose record they see on a care team."""
    return visible_patients(user)


def patient_to_link(user, patient_id: int | None, current_id: int | None = None) -> Patient | None:
    """The registered patient a case is to be linked to, checked again on every save. A link
    already on the case may be kept by a colleague who cannot see that patient (they correct other
    fields); a new link needs the right to see the patient now."""
    if patient_id is None:
        return None
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None:
        raise ConsultationError("指定された利用者は登録されていません。", "patient")
    if patient.pk != current_id and not permissions.can_view_patient(user, patient):
        raise PatientLinkForbidden(
            "この利用者は紐づけられません。ケアチームの一員として記録を閲覧できる利用者だけを選べます。",
            "patient",
        )
    return patient


class _Problems:
    def __init__(self) -> None:
        self.errors: list[dict[str, str]] = []
        self.forbidden: PatientLinkForbidden | None = None

    def add(self, field_name: str, message: str | None, **extra: str) -> None:
        if message:
            self.errors.append({"field": field_name, "message": message, **extra})


def _staff(desk: Organization, value: User | int | None, problems: _Problems) -> User | None:
    if value is None:
        return None
    staff = value if isinstance(value, User) else desk_staff(desk).filter(pk=value).first()
    if staff is None or staff.organization_id != desk.pk:
        problems.add("staff", "担当者はこの窓口の職員から選んでください。")
        return None
    return staff


def _check_rules(
    values: Mapping[str, Any], problems: _Problems, now: datetime | None, all_multiline: bool
) -> None:
    next_action_on = values.get("next_action_on")
    if "status" in values:
        message = check_follow_up_date(values["status"], next_action_on)
        problems.add("next_action_on", message, rule=FOLLOW_UP_RULE)
    received_at = values.get("received_at")
    if received_at is not None:
        problems.add("received_at", check_received_at(received_at, now))
    if next_action_on is not None:
        problems.add("next_action_on", check_day(next_action_on))
    for name, multiline in TEXT_FIELDS:
        text = values.get(name)
        if isinstance(text, str):
            problems.add(name, check_text(text, multiline=multiline or all_multiline))


def clean_consultation(
    actor,
    desk: Organization,
    values: Mapping[str, Any],
    *,
    current_patient_id: int | None = None,
    now: datetime | None = None,
    find_facility: Callable[[str], Facility | None] | None = None,
    cell_texts: bool = False,
) -> CleanConsultation:
    """Check ``values`` (named as the fields of :class:`CleanConsultation`; the facilities, the
    patient and the staff may be given by id) for a case of ``desk`` recorded by ``actor``.

    Values a caller could not read are left out; the rules that need them are skipped, the others
    still reported. Raises :class:`ConsultationError` with every problem in ``errors``, or
    :class:`PatientLinkForbidden` (same ``errors``) when the patient may not be linked by ``actor``.
    ``now`` is the moment a received time may not pass (plus five minutes of clock drift);
    ``find_facility`` looks an institution's name up; ``cell_texts``: every text is a spreadsheet
    cell, where tabs and line breaks have always been accepted."""
    region = region_of_desk(desk)
    problems = _Problems()
    _check_rules(values, problems, now, cell_texts)
    cleaned: dict[str, Any] = {
        key: values[key]
        for key in CleanConsultation.__dataclass_fields__
        if key in values and key not in ("staff", "patient", "requester_facility", "referred_facility")
    }
    cleaned["staff"] = _staff(desk, values.get("staff"), problems)
    categories = list(values.get("categories") or [])
    if any(category.region_id != region.pk for category in categories):
        problems.add("categories", "この圏域の相談内容区分を選んでください。")
    cleaned["categories"] = categories
    for prefix in ("requester", "referred"):
        try:
            facility, text = resolve_institution(
                region,
                values.get(f"{prefix}_facility"),
                values.get(f"{prefix}_institution", ""),
                find_facility,
            )
        except ConsultationError as exc:
            problems.add(f"{prefix}_facility", exc.message)
        else:
            cleaned[f"{prefix}_facility"], cleaned[f"{prefix}_institution"] = facility, text
    try:
        cleaned["patient"] = patient_to_link(actor, values.get("patient"), current_patient_id)
    except PatientLinkForbidden as exc:
        problems.forbidden = exc
        problems.add("patient", exc.message)
    except ConsultationError as exc:
        problems.add("patient", exc.message)
    if problems.forbidden is not None:
        raise PatientLinkForbidden(problems.forbidden.message, "patient", errors=problems.errors)
    missing = [key for key in REQUIRED if key not in cleaned]
    if problems.errors or missing:
        # A value the caller could not read is its own error, already reported where it was read.
        raise ConsultationError("入力内容に誤りがあります。", errors=problems.errors)
    return CleanConsultation(**cleaned)
