"""Break the glass: a professional of the region finds a record by ふりがな and 生年月日 and reads it
for a few hours, with a category and a written reason; every read is flagged, the owners are told,
the members see it on the timeline and the region administrator reviews it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, Region, User
from renkei.sharing.models import EmergencyAccess, EmergencyCategory, Patient, SharingPolicy
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


MIN_REASON_LENGTH = 20
EMERGENCY_ACCESSES_PER_DAY = 3  # when the region has set nothing (SharingPolicy)


@dataclass(frozen=True)
class EmergencyLookup:
    """What the person typed to find the record (ふりがな and 生年月日) and the record they chose
    among those found: the access is bound to a record this lookup finds, never to a bare id."""

    full_name_kana: str
    birth_date: date
    patient_id: int


def emergency_limit(region: Region | None) -> int:
    policy = SharingPolicy.objects.filter(region=region).first() if region is not None else None
    return policy.emergency_accesses_per_day if policy is not None else EMERGENCY_ACCESSES_PER_DAY


def _found(actor: User, lookup: EmergencyLookup) -> Patient:
    patient = (
        same_person_in_region(actor, lookup.full_name_kana, lookup.birth_date)
        .select_related("organization__municipality")
        .filter(pk=lookup.patient_id)
        .first()
    )
    if patient is None:
        # The same answer whether the id exists or not: the lookup did not find it.
        raise Http404("ふりがなと生年月日で見つかる記録ではありません。")
    if not permissions.can_break_glass(actor, patient):
        log(actor, patient, AccessLog.Action.DENIED)
        raise PermissionDenied("緊急アクセスは圏域内の専門職だけが使えます。")
    return patient


def _check_reason(category: str, reason: str) -> str:
    reason = reason.strip()
    errors = []
    if category not in EmergencyCategory.values:
        errors.append({"field": "category", "message": "緊急アクセスの分類を選んでください。"})
    if len(reason) < MIN_REASON_LENGTH:
        errors.append(
            {
                "field": "reason",
                "message": f"緊急アクセスの理由を具体的に（{MIN_REASON_LENGTH}文字以上）書いてください。",
            }
        )
    if errors:
        raise SharingError(errors[0]["message"], errors=errors)
    return reason


def _refuse_unless_open(actor: User, patient: Patient, now: datetime) -> None:
    """Former members and records whose consent was withdrawn are not opened in an emergency; nor
    beyond the region's number of emergency accesses a person may start a day."""
    if patient.memberships.filter(user=actor).exclude(left_at=None).exists():
        raise SharingError(
            "以前このケアチームのメンバーだった方は、緊急アクセスでこの記録を開けません。",
            code="former_member",
            status=403,
        )
    consents = patient.consents.all()
    if consents.exclude(withdrawn_at=None).exists() and not consents.filter(withdrawn_at=None).exists():
        raise SharingError(
            "同意が撤回された記録は、緊急アクセスでも開けません。", code="consent_withdrawn", status=403
        )
    limit = emergency_limit(patient.organization.municipality.region)
    if EmergencyAccess.objects.filter(user=actor, starts_at__gt=now - timedelta(days=1)).count() >= limit:
        raise SharingError(
            f"緊急アクセスは1人24時間に{limit}回までです。必要なときは登録組織に連絡してください。",
            code="emergency_limit",
            status=429,
        )


def break_glass(
    actor: User, lookup: EmergencyLookup, category: str, reason: str, now: datetime | None = None
) -> EmergencyAccess:
    """Break the glass, step two: open the record ``lookup`` found, for :data:`EMERGENCY_HOURS`,
    with a category and a reason of at least :data:`MIN_REASON_LENGTH` characters. The owners are
    mailed, the record's members see the access on its timeline (without the reason), and the
    region administrator lists it for review."""
    reason = _check_reason(category, reason)
    patient = _found(actor, lookup)
    now = now or timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()  # one count per person at a time
        _refuse_unless_open(actor, patient, now)
        access = EmergencyAccess.objects.create(
            patient=patient,
            user=actor,
            category=category,
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


def emergency_notices(patient: Patient) -> QuerySet[EmergencyAccess]:
    """The record's emergency accesses as its timeline shows them: who, when, the category; never
    the reason."""
    return (
        EmergencyAccess.objects.filter(patient=patient)
        .select_related("user__organization")
        .only("pk", "category", "starts_at", "expires_at", "user__full_name", "user__username",
              "user__organization__name")
        .order_by("-starts_at", "-pk")
    )  # fmt: skip


def emergency_review(actor: User, region: Region) -> QuerySet[EmergencyAccess]:
    """The region's emergency accesses for its administrator's review (logged): who, when, which
    record number, the category; the reason stays with the record's owners."""
    if not permissions.can_export_access_log(actor, region):
        raise PermissionDenied
    record_access(actor, action=AccessLog.Action.VIEW, subject_type="emergency_review", subject_id=region.pk)
    return (
        EmergencyAccess.objects.filter(patient__organization__municipality__region=region)
        .select_related("user__organization", "patient__organization")
        .defer("reason")
        .order_by("-starts_at", "-pk")
    )


def emergency_accesses(user: User, now: datetime | None = None) -> QuerySet[EmergencyAccess]:
    now = now or timezone.now()
    return EmergencyAccess.objects.filter(user=user, expires_at__gt=now, ended_at=None).select_related(
        "patient"
    )
