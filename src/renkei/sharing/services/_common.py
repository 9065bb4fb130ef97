"""What every sharing service shares: its refusal, its access-log row about a patient, and the
patient an actor asks for."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.shortcuts import get_object_or_404

from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, User
from renkei.core.services import RuleError
from renkei.sharing.models import Patient

INVALID_INPUT = "入力内容に誤りがあります。"


class SharingError(RuleError):
    """A request that the rules refuse; the message is for people (Japanese). A refusal of the
    request as a whole (no ``field``) carries no details: its message says it all."""

    def __init__(
        self,
        message: str,
        field: str = "",
        *,
        errors: list[dict[str, str]] | None = None,
        code: str | None = None,
        status: int | None = None,
    ) -> None:
        if errors is None and not field:
            errors = []
        super().__init__(message, field, errors=errors, code=code, status=status)


def full_clean(instance: Model, *, validate_constraints: bool = True) -> None:
    """The model's own checks; what they refuse becomes a :class:`SharingError` naming each field."""
    try:
        instance.full_clean(validate_constraints=validate_constraints)
    except ValidationError as exc:
        raise SharingError(
            INVALID_INPUT,
            errors=[
                {"field": name, "location": name, "message": " ".join(messages)}
                for name, messages in exc.message_dict.items()
            ],
        ) from None


def log(
    actor: User,
    patient: Patient,
    action: str,
    object_type: str = "patient",
    object_id: object = "",
    access: permissions.PatientAccess | None = None,
) -> AccessLog:
    """One access-log row about ``patient``; flagged when the reader sees it by breaking the glass."""
    if action == AccessLog.Action.DENIED:
        flagged = False
    else:
        flagged = (access or permissions.patient_access(actor, patient)).emergency_view
    return record_access(
        actor,
        action=action,
        subject_type="patient",
        subject_id=patient.pk,
        object_type=object_type,
        object_id=object_id if object_id != "" else (patient.pk if object_type == "patient" else ""),
        flagged=flagged,
    )


def patient_for(actor: User, pk: int, need: str = "can_view") -> tuple[Patient, permissions.PatientAccess]:
    """The patient and what ``actor`` may do with it. Unless ``need`` (a :class:`PatientAccess`
    property) allows it, the refusal is logged and :class:`PermissionDenied` raised."""
    patient = get_object_or_404(
        Patient.objects.select_related("organization__municipality__region", "municipality"), pk=pk
    )
    access = permissions.patient_access(actor, patient)
    if not getattr(access, need):
        log(actor, patient, AccessLog.Action.DENIED)
        raise PermissionDenied
    return patient, access
