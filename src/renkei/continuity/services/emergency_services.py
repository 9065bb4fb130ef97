"""消防・警察への提供 (三戸町's 要援護者台帳): a resident's consent for that purpose, the agencies'
named accounts and the municipalities' grants, the agencies' read-only view of the 救急医療情報キット,
and the list of their reads that the owners see. Who may do what:
:mod:`renkei.core.permissions.emergency_services`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from renkei.continuity.models import AgencyGrant, EmergencyServicesConsent
from renkei.continuity.services._common import ContinuityError, full_clean
from renkei.continuity.services.kit import kit_values
from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, Municipality, Organization, User
from renkei.core.text import normalize
from renkei.sharing.models import Patient

KIT_READ = "emergency_services_kit"
SEARCH_READ = "emergency_services_search"
READS = (KIT_READ, SEARCH_READ)
MAX_RESULTS = 30
IN_FORCE = "消防・警察への提供の同意はすでに記録されています。"


def _log(actor: User, action: str, patient: Patient, object_type: str, object_id: Any) -> None:
    record_access(
        actor,
        action=action,
        subject_type="patient",
        subject_id=patient.pk,
        object_type=object_type,
        object_id=object_id,
    )


# --- the resident's consent ------------------------------------------------------------------


def consent_in_force(patient: Patient) -> EmergencyServicesConsent | None:
    return EmergencyServicesConsent.objects.filter(patient=patient, withdrawn_at=None).first()


def _owner(actor: User, patient: Patient) -> None:
    if not permissions.can_record_emergency_services_consent(permissions.patient_access(actor, patient)):
        _log(actor, AccessLog.Action.DENIED, patient, "emergency_services_consent", "")
        raise PermissionDenied


def record_emergency_services_consent(
    actor: User, patient: Patient, data: dict[str, Any]
) -> EmergencyServicesConsent:
    """Record the consent to 消防・警察への提供 (the owner only; one in force at a time)."""
    _owner(actor, patient)
    consent = EmergencyServicesConsent(patient=patient, recorded_by=actor, **data)
    full_clean(consent, exclude=["patient", "recorded_by"])
    try:
        with transaction.atomic():
            consent.save()
    except IntegrityError:
        raise ContinuityError(IN_FORCE, code="consent_exists", status=409) from None
    _log(actor, AccessLog.Action.CREATE, patient, "emergency_services_consent", consent.pk)
    return consent


@transaction.atomic
def withdraw_emergency_services_consent(actor: User, patient: Patient) -> EmergencyServicesConsent:
    """End the consent: from the next request on, no agency reads this resident's kit."""
    _owner(actor, patient)
    consent = (
        EmergencyServicesConsent.objects.select_for_update()
        .filter(patient=patient, withdrawn_at=None)
        .first()
    )
    if consent is None:
        raise ContinuityError("消防・警察への提供の同意は記録されていません。", code="no_consent", status=409)
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    _log(actor, AccessLog.Action.UPDATE, patient, "emergency_services_consent", consent.pk)
    return consent


def consent_history(patient: Patient) -> QuerySet[EmergencyServicesConsent]:
    return EmergencyServicesConsent.objects.filter(patient=patient).select_related(
        "recorded_by", "withdrawn_by"
    )


# --- what the owners see ---------------------------------------------------------------------


def _agency_reads() -> QuerySet[AccessLog]:
    return (
        AccessLog.objects.filter(user__role=User.Role.EMERGENCY_SERVICES, object_type__in=READS)
        .exclude(action=AccessLog.Action.DENIED)
        .select_related("user", "organization")
    )


def agency_reads_of_patient(actor: User, patient: Patient) -> QuerySet[AccessLog]:
    """「消防・警察による閲覧」 of one record, for its team (the page itself is logged)."""
    if not permissions.can_view_agency_reads(permissions.patient_access(actor, patient)):
        raise PermissionDenied
    _log(actor, AccessLog.Action.VIEW, patient, "access_log", "emergency_services")
    return _agency_reads().filter(subject_type="patient", subject_id=str(patient.pk))


def agency_reads_of_municipality(actor: User, municipality: Municipality) -> QuerySet[AccessLog]:
    """The reads made under the municipality's grants: who, when, which record number."""
    if not permissions.can_view_agency_reads_of_municipality(actor, municipality):
        raise PermissionDenied
    record_access(
        actor, action=AccessLog.Action.VIEW, subject_type="municipality", subject_id=municipality.pk,
        object_type="access_log", object_id="emergency_services",
    )  # fmt: skip
    grants = [
        str(pk) for pk in AgencyGrant.objects.filter(municipality=municipality).values_list("pk", flat=True)
    ]
    return _agency_reads().filter(object_id__in=grants)


# --- agencies, their accounts and the grants ---------------------------------------------------


def _manage(actor: User, agency: Organization) -> None:
    if not permissions.can_manage_agency(actor, agency):
        raise PermissionDenied


@transaction.atomic
def create_agency_account(actor: User, agency: Organization, data: dict[str, Any]) -> User:
    """A named account of ``agency`` (one person, never a shared login). Its password is random and
    known to nobody: the person sets their own through password reset to ``email``, then the second
    factor at their first page."""
    _manage(actor, agency)
    account = User(
        username=data["username"],
        full_name=data["full_name"],
        full_name_kana=data.get("full_name_kana", ""),
        email=User.objects.normalize_email(data["email"]),
        organization=agency,
        role=User.Role.EMERGENCY_SERVICES,
    )
    account.set_password(secrets.token_urlsafe(32))
    full_clean(account)
    account.save()
    record_access(
        actor, action=AccessLog.Action.CREATE, subject_type="user", subject_id=account.pk,
        object_type="agency_account", object_id=account.pk,
    )  # fmt: skip
    return account


def agency_accounts(agency: Organization) -> QuerySet[User]:
    return User.objects.filter(organization=agency, role=User.Role.EMERGENCY_SERVICES).order_by(
        "-is_active", "full_name_kana", "pk"
    )


def deactivate_agency_account(actor: User, account_id: int) -> User:
    account = User.objects.filter(pk=account_id, role=User.Role.EMERGENCY_SERVICES).first()
    if account is None or account.organization is None:
        raise Http404
    _manage(actor, account.organization)
    account.is_active = False
    account.save(update_fields=["is_active"])
    record_access(
        actor, action=AccessLog.Action.UPDATE, subject_type="user", subject_id=account.pk,
        object_type="agency_account", object_id=account.pk,
    )  # fmt: skip
    return account


def grant_agency_access(
    actor: User,
    municipality: Municipality,
    agency: Organization,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> AgencyGrant:
    """Let ``agency`` read the kits of ``municipality``'s consenting residents from ``starts_at``."""
    if not permissions.can_grant_agency_access(actor, municipality, agency):
        raise PermissionDenied
    starts_at = starts_at or timezone.now()
    if ends_at is not None and ends_at <= starts_at:
        raise ContinuityError("提供の終了は開始より後にしてください。", "ends_at")
    grant = AgencyGrant.objects.create(
        municipality=municipality, agency=agency, starts_at=starts_at, ends_at=ends_at, granted_by=actor
    )
    record_access(
        actor, action=AccessLog.Action.CREATE, subject_type="municipality", subject_id=municipality.pk,
        object_type="agency_grant", object_id=grant.pk,
    )  # fmt: skip
    return grant


def end_grant(actor: User, grant_id: int) -> AgencyGrant:
    """End a grant now: the agency reads nothing more of the municipality from the next request."""
    grant = (
        AgencyGrant.objects.select_related("municipality", "agency__municipality").filter(pk=grant_id).first()
    )
    if grant is None:
        raise Http404
    if not permissions.can_grant_agency_access(actor, grant.municipality, grant.agency):
        raise PermissionDenied
    now = timezone.now()
    if grant.ends_at is None or grant.ends_at > now:
        grant.ends_at = max(now, grant.starts_at)
        grant.ended_by = actor
        grant.save(update_fields=["ends_at", "ended_by"])
        record_access(
            actor, action=AccessLog.Action.UPDATE, subject_type="municipality",
            subject_id=grant.municipality_id, object_type="agency_grant", object_id=grant.pk,
        )  # fmt: skip
    return grant


def grants_of(actor: User) -> QuerySet[AgencyGrant]:
    """The grants of the municipalities ``actor`` manages, newest first."""
    return AgencyGrant.objects.filter(
        municipality__in=permissions.managed_municipalities(actor)
    ).select_related("municipality", "agency", "granted_by", "ended_by")


# --- the agency's view -----------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    patient: Patient
    grant: AgencyGrant


def _grant_for(actor: User, patient: Patient) -> AgencyGrant | None:
    return (
        permissions.grants_in_force(actor.organization)
        .filter(municipality_id=patient.municipality_id)
        .first()
    )


def search_residents(actor: User, query: str) -> list[Found]:
    """Consenting residents of the granted municipalities whose name, ふりがな or address contains
    ``query``; each one shown is logged as read by the agency account."""
    if not permissions.is_emergency_services(actor):
        raise PermissionDenied
    words = normalize(query).split()
    if not words:
        return []
    residents = permissions.kits_visible_to_agency(actor).select_related("municipality")
    for word in words:
        residents = residents.filter(
            Q(full_name__icontains=word) | Q(kana_key__contains=word) | Q(address__icontains=word)
        )
    found = []
    for patient in residents.order_by("kana_key", "birth_date", "pk")[:MAX_RESULTS]:
        grant = _grant_for(actor, patient)
        if grant is not None:
            _log(actor, AccessLog.Action.VIEW, patient, SEARCH_READ, grant.pk)
            found.append(Found(patient, grant))
    return found


def agency_kit(actor: User, patient_id: int) -> tuple[Patient, list[tuple[str, str]]]:
    """The kit of one consenting resident, read-only, for an agency account (logged). The same 404
    whether the record does not exist or the agency may not read it."""
    patient = permissions.kits_visible_to_agency(actor).filter(pk=patient_id).first()
    grant = _grant_for(actor, patient) if patient is not None else None
    if patient is None or grant is None:
        if permissions.is_emergency_services(actor):
            record_access(
                actor, action=AccessLog.Action.DENIED, subject_type="patient", subject_id=patient_id
            )
        raise Http404
    _log(actor, AccessLog.Action.VIEW, patient, KIT_READ, grant.pk)
    return patient, kit_values(patient)
