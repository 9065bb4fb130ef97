"""Break the glass: a professional of the region reads a record for a few hours, with a written
reason; every read is flagged and the owners are told."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, User
from renkei.sharing.models import EmergencyAccess, Patient
from renkei.sharing.services._common import SharingError, log
from renkei.sharing.services.notifications import mail, site_url
from renkei.sharing.services.patients import log_lookup, same_person_in_region
from renkei.sharing.services.team import current_members

EMERGENCY_HOURS = 4


def find_for_emergency(actor: User, full_name_kana: str, birth_date: date) -> list[Patient]:
    """Break the glass, step one: the records of this exact person that the user may open in an
    emergency. The search itself is logged and flagged for each record found."""
    found = [
        patient
        for patient in same_person_in_region(actor, full_name_kana, birth_date).select_related(
            "organization__municipality"
        )
        if permissions.can_break_glass(actor, patient)
    ]
    log_lookup(actor, found, "emergency_search")
    return found


def emergency_patient(actor: User, pk: int) -> Patient:
    """The patient whose record ``actor`` asks to open in an emergency; unless they may, the
    refusal is logged and :class:`PermissionDenied` raised."""
    patient = get_object_or_404(Patient.objects.select_related("organization__municipality"), pk=pk)
    if not permissions.can_break_glass(actor, patient):
        log(actor, patient, AccessLog.Action.DENIED)
        raise PermissionDenied
    return patient


def break_glass(actor: User, patient: Patient, reason: str, now: datetime | None = None) -> EmergencyAccess:
    reason = reason.strip()
    if len(reason) < 10:
        raise SharingError("緊急アクセスの理由を具体的に（10文字以上）書いてください。")
    if not permissions.can_break_glass(actor, patient):
        raise PermissionDenied("緊急アクセスは圏域内の専門職だけが使えます。")
    now = now or timezone.now()
    with transaction.atomic():
        access = EmergencyAccess.objects.create(
            patient=patient,
            user=actor,
            reason=reason,
            starts_at=now,
            expires_at=now + timedelta(hours=EMERGENCY_HOURS),
        )
        record_access(
            actor,
            action=AccessLog.Action.BREAK_GLASS,
            subject_type="patient",
            subject_id=patient.pk,
            object_type="emergency_access",
            object_id=access.pk,
            flagged=True,
        )
    owners = [
        member.user.email
        for member in current_members(patient)
        if member.user.organization_id == patient.organization_id and member.user.email
    ]
    if owners:
        message = mail("break_glass", owners, url=site_url("sharing:access_log", patient.pk))
        transaction.on_commit(lambda: send_mass_mail([message], fail_silently=True))
    return access


def emergency_accesses(user: User, now: datetime | None = None) -> QuerySet[EmergencyAccess]:
    now = now or timezone.now()
    return EmergencyAccess.objects.filter(user=user, expires_at__gt=now, ended_at=None).select_related(
        "patient"
    )
