"""Consent: recorded once, in force until withdrawn; it decides who beyond the registering
organisation sees the record."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from renkei.core import permissions
from renkei.core.models import AccessLog, User
from renkei.core.uploads import Upload
from renkei.sharing import files
from renkei.sharing.models import CareTeamMembership, Consent, EmergencyAccess, Patient
from renkei.sharing.services._common import SharingError, full_clean, log

CONSENT_IN_FORCE = "有効な同意がすでに記録されています。範囲を変えるときは、先に撤回を記録してください。"


def _in_force() -> SharingError:
    return SharingError(CONSENT_IN_FORCE, code="consent_exists", status=409)


def active_consent(patient: Patient) -> Consent | None:
    return patient.consents.filter(withdrawn_at=None).first()


def consent_history(actor: User, patient: Patient) -> QuerySet[Consent]:
    """Every consent of the patient, newest first, for the owner's consent page (logged)."""
    log(actor, patient, AccessLog.Action.VIEW, "consent_history", patient.pk)
    return patient.consents.select_related("recorded_by", "withdrawn_by")


def open_consent_scan(
    actor: User, patient: Patient, consent_id: int, access: permissions.PatientAccess | None = None
) -> Consent:
    """The consent whose scan ``actor`` downloads (logged); Http404 when it has none."""
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    record = get_object_or_404(Consent, pk=consent_id, patient=patient)
    if not record.scan:
        raise Http404
    log(actor, patient, AccessLog.Action.DOWNLOAD, "consent_scan", record.pk, access=access)
    return record


def record_consent(
    actor: User, patient: Patient, data: dict[str, Any], scan: Upload | None = None
) -> Consent:
    """Record consent. The scan (PDF/JPEG) is checked before anything is written. Refused with
    :class:`SharingError` while another consent is in force: a change of scope is a withdrawal
    followed by a new consent, so exactly one consent decides who sees the record."""
    if active_consent(patient) is not None:
        raise _in_force()
    checked = files.check_upload(scan, allowed=files.CONSENT_SCAN_KINDS) if scan else None
    stored = files.store(checked) if checked else ""
    try:
        with transaction.atomic():
            # Two people recording at once: the second waits here, then sees the first's consent.
            Patient.objects.select_for_update().filter(pk=patient.pk).first()
            if active_consent(patient) is not None:
                raise _in_force()
            consent = Consent(
                patient=patient,
                recorded_by=actor,
                scan=stored,
                scan_content_type=checked.content_type if checked else "",
                **data,
            )
            full_clean(consent, validate_constraints=False)  # the one in force: checked just above
            try:
                with transaction.atomic():
                    consent.save()
            except IntegrityError:  # a database without row locks (SQLite) raced us to it
                raise _in_force() from None
            log(actor, patient, AccessLog.Action.CREATE, "consent", consent.pk)
    except Exception:
        if stored:
            files.remove(stored)
        raise
    return consent


@transaction.atomic
def withdraw_consent(actor: User, patient: Patient, note: str = "") -> int:
    """End consent: every member outside the registering organisation loses access at once, and
    running emergency accesses end. Returns how many memberships ended."""
    now = timezone.now()
    consents = list(patient.consents.select_for_update().filter(withdrawn_at=None))
    if not consents:
        raise SharingError("有効な同意が記録されていません。", code="no_consent", status=409)
    for consent in consents:
        consent.withdrawn_at = now
        consent.withdrawn_by = actor
        consent.withdrawal_note = note
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
        log(actor, patient, AccessLog.Action.UPDATE, "consent_withdrawal", consent.pk)
    ended = (
        CareTeamMembership.objects.filter(patient=patient, left_at=None)
        .exclude(user__organization_id=patient.organization_id)
        .update(left_at=now, end_reason=CareTeamMembership.EndReason.CONSENT_WITHDRAWN)
    )
    EmergencyAccess.objects.filter(patient=patient, ended_at=None, expires_at__gt=now).update(ended_at=now)
    return ended
