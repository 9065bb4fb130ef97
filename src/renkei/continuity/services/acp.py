"""人生会議 (ACP) records: each discussion kept with its date, participants and review date, shared
with the team under the same consent as the record; a reminder once the review date has passed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from renkei.continuity.models import AcpRecord
from renkei.continuity.services._common import ContinuityError, full_clean
from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, User
from renkei.sharing.models import Patient


def _log(actor: User, patient: Patient, action: str, object_id: object, flagged: bool = False) -> None:
    record_access(
        actor,
        action=action,
        subject_type="patient",
        subject_id=patient.pk,
        object_type="acp_record",
        object_id=object_id,
        flagged=flagged,
    )


@transaction.atomic
def record_acp(actor: User, patient: Patient, data: dict[str, Any]) -> AcpRecord:
    if not permissions.can_record_acp(permissions.patient_access(actor, patient)):
        raise PermissionDenied
    record = AcpRecord(patient=patient, recorded_by=actor, **data)
    full_clean(record, exclude=["patient", "recorded_by"])
    if record.review_on < record.discussed_on:
        raise ContinuityError("見直し日は話し合った日以降にしてください。", "review_on")
    if record.discussed_on > timezone.localdate():
        raise ContinuityError("話し合った日に未来の日付は入れられません。", "discussed_on")
    record.save()
    _log(actor, patient, AccessLog.Action.CREATE, record.pk)
    return record


def acp_history(
    actor: User, patient: Patient, access: permissions.PatientAccess | None = None
) -> list[AcpRecord]:
    """Every discussion, newest first (the first is the one in force), as ``actor`` reads it."""
    access = access or permissions.patient_access(actor, patient)
    if not permissions.can_view_contact_path(access):
        raise PermissionDenied
    _log(actor, patient, AccessLog.Action.VIEW, "", flagged=access.emergency_view)
    return list(
        AcpRecord.objects.filter(patient=patient)
        .select_related("recorded_by")
        .order_by("-discussed_on", "-pk")
    )


def is_overdue(record: AcpRecord, today: date | None = None) -> bool:
    return record.review_on < (today or timezone.localdate())


def overdue_reviews(user: User, today: date | None = None) -> list[AcpRecord]:
    """The latest discussion of each of ``user``'s patients whose review date has passed (the
    start page's reminder; names only for patients the user sees)."""
    today = today or timezone.localdate()
    ids = list(permissions.patients_visible_to(user).values_list("pk", flat=True))
    latest: dict[int, AcpRecord] = {}
    for record in (
        AcpRecord.objects.filter(patient_id__in=ids)
        .select_related("patient")
        .order_by("patient_id", "-discussed_on", "-pk")
    ):
        latest.setdefault(record.patient_id, record)
    return sorted(
        (record for record in latest.values() if record.review_on < today), key=lambda r: r.review_on
    )
