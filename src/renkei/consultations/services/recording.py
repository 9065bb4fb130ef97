"""Recording a case, correcting it, following it up, reading it and listing a desk's cases.

Every read and change of a case is written to the access log here (summaries are personal data).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from renkei.consultations.models import AgeBand, Consultation, ConsultationCategory, FollowUp, Sex, Status
from renkei.consultations.services.cleaning import CleanConsultation
from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, Organization, User
from renkei.core.text import normalize
from renkei.sharing.models import Patient

SUBJECT = "consultation"


def apply_clean(consultation: Consultation, clean: CleanConsultation) -> list[ConsultationCategory]:
    """Set a case's fields from its cleaned values; the categories are returned, to be set once saved."""
    for item in fields(CleanConsultation):
        if item.name != "categories":
            setattr(consultation, item.name, getattr(clean, item.name))
    if clean.requester_facility is not None:
        consultation.requester_institution = ""
    if clean.referred_facility is not None:
        consultation.referred_institution = ""
    consultation.subject_age_band = clean.subject_age_band or AgeBand.UNKNOWN
    consultation.subject_sex = clean.subject_sex or Sex.UNKNOWN
    consultation.summary = clean.summary.strip()
    consultation.next_action_on = None if clean.status == Status.CLOSED else clean.next_action_on
    consultation.staff_name = "" if clean.staff is not None else clean.staff_name.strip()
    return list(clean.categories)


def _log(actor, action: str, consultation_id: int, **objects) -> None:
    record_access(actor, action=action, subject_type=SUBJECT, subject_id=consultation_id, **objects)


@transaction.atomic
def record_consultation(actor, desk: Organization, clean: CleanConsultation) -> Consultation:
    """Record a new case for ``desk``; ``actor`` must work at that desk."""
    own = permissions.consultation_desk_of(actor)
    if own is None or own.pk != desk.pk:
        raise PermissionDenied
    consultation = Consultation(desk=desk, created_by=actor)
    categories = apply_clean(consultation, clean)
    consultation.save()
    consultation.categories.set(categories)
    _log(actor, AccessLog.Action.CREATE, consultation.pk)
    return consultation


@transaction.atomic
def update_consultation(actor, consultation: Consultation, clean: CleanConsultation) -> Consultation:
    """Correct a recorded case; its statistics change with it."""
    if not permissions.can_edit_consultation(actor, consultation):
        raise PermissionDenied
    categories = apply_clean(consultation, clean)
    consultation.save()
    consultation.categories.set(categories)
    _log(actor, AccessLog.Action.UPDATE, consultation.pk)
    return consultation


@transaction.atomic
def add_follow_up(
    actor,
    consultation: Consultation,
    *,
    occurred_at: datetime,
    channel: str,
    response: str,
    status: str,
    summary: str = "",
    minutes_spent: int | None = None,
    next_action_on: date | None = None,
) -> FollowUp:
    """Attach a follow-up by ``actor`` to the case; the case takes its status and next date."""
    if not permissions.can_add_follow_up(actor, consultation):
        raise PermissionDenied
    if status == Status.CLOSED:
        next_action_on = None
    entry = FollowUp.objects.create(
        consultation=consultation,
        occurred_at=occurred_at,
        channel=channel,
        response=response,
        summary=summary.strip(),
        minutes_spent=minutes_spent,
        status=status,
        next_action_on=next_action_on,
        staff=actor if isinstance(actor, User) else None,
    )
    Consultation.objects.filter(pk=consultation.pk).update(
        status=status, next_action_on=next_action_on, updated_at=timezone.now()
    )
    consultation.refresh_from_db(fields=["status", "next_action_on", "updated_at"])
    _log(actor, AccessLog.Action.UPDATE, consultation.pk, object_type="follow_up", object_id=entry.pk)
    return entry


def find_consultation(actor, pk: int, *, to_edit: bool = False) -> Consultation:
    """The case ``pk`` if ``actor`` may read it (and correct it, ``to_edit``). A refused read is
    logged; nothing is logged for a permitted one until it is read (:func:`read_consultation`)."""
    consultation = get_object_or_404(
        Consultation.objects.select_related(
            "desk", "requester_facility", "referred_facility", "subject_municipality", "staff", "patient"
        ),
        pk=pk,
    )
    if not permissions.can_view_consultation(actor, consultation):
        _log(actor, AccessLog.Action.DENIED, consultation.pk)
        raise PermissionDenied
    if to_edit and not permissions.can_edit_consultation(actor, consultation):
        raise PermissionDenied
    return consultation


def read_consultation(actor, consultation: Consultation) -> Patient | None:
    """Log that ``actor`` reads the case, and return its linked patient when ``actor`` may see them
    now (that read is logged for the patient); else None: only the fact of a link is shown."""
    if not permissions.can_view_consultation(actor, consultation):
        raise PermissionDenied
    _log(actor, AccessLog.Action.VIEW, consultation.pk)
    patient = consultation.patient
    if patient is None:
        return None
    access = permissions.patient_access(actor, patient)
    if not access.can_view:
        return None
    record_access(
        actor,
        action=AccessLog.Action.VIEW,
        subject_type="patient",
        subject_id=patient.pk,
        object_type=SUBJECT,
        object_id=consultation.pk,
        flagged=access.emergency_view,
    )
    return patient


# --- the list --------------------------------------------------------------------------------------


@dataclass
class ListFilter:
    start: date | None = None
    end: date | None = None
    status: str = ""
    category: ConsultationCategory | None = None
    institution: str = ""
    staff: User | None = None


def consultation_list(
    desks: QuerySet[Organization] | Sequence[Organization], filters: ListFilter, today: date | None = None
) -> QuerySet[Consultation]:
    """The desk's cases, those due for follow-up first (overdue or due today, earliest date first),
    then the other continuing cases by next date, then the rest, newest first. Counts and rows
    without summaries; a caller that shows or exports the records logs them (:func:`read_page`,
    :func:`renkei.consultations.services.reports.export_records`)."""
    today = today or timezone.localdate()
    rows = Consultation.objects.filter(desk__in=desks)
    if filters.start:
        rows = rows.filter(received_on__gte=filters.start)
    if filters.end:
        rows = rows.filter(received_on__lte=filters.end)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.category is not None:
        rows = rows.filter(categories=filters.category)
    if filters.institution:
        key = normalize(filters.institution)
        rows = rows.filter(
            Q(requester_facility__search_text__contains=key)
            | Q(requester_institution_key__contains=key)
            | Q(referred_facility__search_text__contains=key)
            | Q(referred_institution_key__contains=key)
        )
    if filters.staff is not None:
        rows = rows.filter(staff=filters.staff)
    return (
        rows.annotate(
            follow_up_priority=Case(
                When(status=Status.CONTINUING, next_action_on__lte=today, then=Value(0)),
                When(status=Status.CONTINUING, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .select_related("desk", "requester_facility", "staff")
        .prefetch_related("categories")
        .order_by("follow_up_priority", F("next_action_on").asc(nulls_last=True), "-received_at", "-id")
    )


def due_for_follow_up(
    desks: QuerySet[Organization] | Sequence[Organization], today: date | None = None
) -> int:
    """How many continuing cases are due (overdue or today): those the list shows first."""
    today = today or timezone.localdate()
    return Consultation.objects.filter(
        desk__in=desks, status=Status.CONTINUING, next_action_on__lte=today
    ).count()


def read_page(actor, rows: QuerySet[Consultation], offset: int, limit: int) -> list[Consultation]:
    """One page of ``rows`` as ``actor`` reads it with the summaries: each record is logged."""
    page = list(rows[offset : offset + limit])
    for consultation in page:
        if not permissions.can_view_consultation(actor, consultation):
            raise PermissionDenied
        _log(actor, AccessLog.Action.VIEW, consultation.pk)
    return page
