"""What every sharing service shares: its refusal and its access-log row about a patient."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, User
from renkei.core.services import RuleError
from renkei.sharing.models import Patient


class SharingError(RuleError):
    """A request that the rules refuse; the message is for people (Japanese)."""


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
    from django.core.exceptions import PermissionDenied

    patient = get_object_or_404(Patient.objects.select_related("organization__municipality"), pk=pk)
    access = permissions.patient_access(actor, patient)
    if not getattr(access, need):
        log(actor, patient, AccessLog.Action.DENIED)
        raise PermissionDenied
    return patient, access
