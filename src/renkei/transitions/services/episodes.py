"""Admission episodes: recording a stay in hospital, its changes, and what is due by when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, User
from renkei.directory.catalog import Category
from renkei.sharing.models import CareTeamMembership, Patient, TeamRole
from renkei.sharing.services import patient_for
from renkei.transitions import deadlines
from renkei.transitions.models import OPEN_STATUSES, Episode, EpisodeStatus, ReminderKind
from renkei.transitions.services._common import TransitionError, log_episode

EDITABLE = (
    "hospital_facility",
    "hospital_name",
    "ward",
    "admitted_at",
    "expected_discharge",
    "discharged_on",
    "status",
    "liaison_name",
    "liaison_phone",
    "liaison_user",
    "care_manager",
)
PROGRESS_COLUMNS: dict[str, str] = {
    ReminderKind.ADMISSION_INFO: "admission_info_sent_at",
    ReminderKind.DISCHARGE_CONTACT: "discharge_contacted_at",
}
TEXT_FIELDS = ("hospital_name", "ward", "liaison_name", "liaison_phone")
CLOSING = (EpisodeStatus.DISCHARGED, EpisodeStatus.TRANSFERRED, EpisodeStatus.DIED)


@dataclass(frozen=True)
class DueItem:
    kind: str
    label: str
    due: date | None
    done_at: datetime | None
    overdue: bool
    # 入院時情報連携加算（Ⅰ）'s deadline, for the admission sheet.
    bonus_due: date | None = None


def episode_for(actor: User, pk: int, need: str = "can_view") -> tuple[Episode, permissions.EpisodeAccess]:
    """The episode and what ``actor`` may do with it; a refusal is logged and raised."""
    episode = get_object_or_404(
        Episode.objects.select_related("patient__organization__municipality", "care_manager", "liaison_user"),
        pk=pk,
    )
    access = permissions.episode_access(actor, episode)
    if not getattr(access, need):
        log_episode(actor, episode, AccessLog.Action.DENIED)
        raise PermissionDenied
    return episode, access


def read_episode(actor: User, pk: int, need: str = "can_view") -> tuple[Episode, permissions.EpisodeAccess]:
    """The episode shown to ``actor`` (its page or its form): a logged read."""
    episode, access = episode_for(actor, pk, need)
    log_episode(actor, episode, AccessLog.Action.VIEW, flagged=access.emergency_view)
    return episode, access


def patient_for_form(actor: User, patient_pk: int) -> Patient:
    """The patient a form of this app names (a new episode, a FHIR import): a logged read."""
    patient, _ = patient_for(actor, patient_pk, "can_post")
    record_access(
        actor,
        action=AccessLog.Action.VIEW,
        subject_type="patient",
        subject_id=patient.pk,
        object_type="patient_form",
        object_id=patient.pk,
    )
    return patient


def patient_episodes(patient: Patient) -> list[Episode]:
    """For a reader who already sees the patient (the patient's page logs that read)."""
    return list(patient.admission_episodes.select_related("care_manager").order_by("-admitted_at", "-pk"))


def _default_care_manager(actor: User, patient: Patient) -> User | None:
    if actor.profession == User.Profession.CARE_MANAGER:
        return actor
    member = (
        CareTeamMembership.objects.filter(patient=patient, left_at=None, team_role=TeamRole.CARE_MANAGER)
        .select_related("user")
        .order_by("joined_at", "pk")
        .first()
    )
    return member.user if member else None


def _check(episode: Episode) -> None:
    errors = []
    facility = episode.hospital_facility
    if facility is not None:
        if facility.category != Category.HOSPITAL:
            errors.append({"field": "hospital_facility", "message": "病院を選んでください。"})
        episode.hospital_name = facility.name
    if not episode.hospital_name.strip():
        errors.append({"field": "hospital_name", "message": "病院を選ぶか、病院名を入力してください。"})
    if episode.liaison_user is not None and not permissions.can_be_liaison(
        episode.liaison_user, episode.patient
    ):
        errors.append(
            {"field": "liaison_user", "message": "圏域内の病院の職員でRenkeiを使っている方を選んでください。"}
        )
    if episode.care_manager is not None and not permissions.can_view_patient(
        episode.care_manager, episode.patient
    ):
        errors.append({"field": "care_manager", "message": "この利用者のケアチームの方を選んでください。"})
    admitted = timezone.localdate(episode.admitted_at)
    for name, label in (("expected_discharge", "退院予定日"), ("discharged_on", "退院日")):
        value = getattr(episode, name)
        if value is not None and value < admitted:
            errors.append({"field": name, "message": f"{label}は入院日より後の日にしてください。"})
    if episode.status in CLOSING and episode.discharged_on is None:
        errors.append({"field": "discharged_on", "message": "退院日（転院日）を入力してください。"})
    if errors:
        raise TransitionError(errors[0]["message"], errors[0]["field"], errors=errors)


def compute_deadlines(episode: Episode) -> None:
    rule = deadlines.rule_for(episode.patient.organization.municipality.region_id)
    episode.admission_bonus_due = deadlines.admission_bonus_due(episode.admitted_at, rule)
    episode.admission_info_due = deadlines.admission_info_due(episode.admitted_at, rule)
    episode.discharge_contact_due = deadlines.discharge_contact_due(episode.expected_discharge, rule)


def _apply(episode: Episode, data: dict[str, Any]) -> None:
    for name in EDITABLE:
        if name in data:
            value = data[name]
            setattr(episode, name, (value or "").strip() if name in TEXT_FIELDS else value)
    _check(episode)
    compute_deadlines(episode)


@transaction.atomic
def create_episode(actor: User, patient_pk: int, data: dict[str, Any]) -> Episode:
    patient, _ = patient_for(actor, patient_pk, "can_post")
    episode = Episode(patient=patient, created_by=actor)
    data = dict(data)
    data.setdefault("care_manager", _default_care_manager(actor, patient))
    _apply(episode, data)
    episode.save()
    log_episode(actor, episode, AccessLog.Action.CREATE)
    return episode


@transaction.atomic
def update_episode(actor: User, pk: int, data: dict[str, Any]) -> Episode:
    episode, _ = episode_for(actor, pk, "can_edit")
    for name in EDITABLE:
        if (
            name in data
            and data[name] != getattr(episode, name)
            and not permissions.can_change_episode_field(actor, episode, name)
        ):
            log_episode(actor, episode, AccessLog.Action.DENIED)
            raise PermissionDenied
    _apply(episode, data)
    episode.save()
    log_episode(actor, episode, AccessLog.Action.UPDATE)
    return episode


@transaction.atomic
def record_progress(actor: User, pk: int, kind: str, at: datetime | None = None) -> Episode:
    """The admission information went to the hospital, or the hospital contacted the care manager
    before discharge (by any means: in Renkei, by phone, by FAX)."""
    episode, _ = episode_for(actor, pk, "can_edit")
    at = at or timezone.now()
    if at > timezone.now():
        raise TransitionError("未来の日時は記録できません。", "at")
    if timezone.localdate(at) < timezone.localdate(episode.admitted_at):
        raise TransitionError("入院日より前の日時は記録できません。", "at")
    column = PROGRESS_COLUMNS.get(kind)
    if column is None:
        raise TransitionError("記録する項目が正しくありません。", "kind")
    setattr(episode, column, at)
    episode.save(update_fields=[column, "updated_at"])
    log_episode(actor, episode, AccessLog.Action.UPDATE)
    return episode


def due_items(episode: Episode, today: date | None = None) -> list[DueItem]:
    """What is due by when on this episode. Items of a closed episode are never overdue."""
    today = today or timezone.localdate()
    items = [
        DueItem(
            ReminderKind.ADMISSION_INFO,
            "入院時情報提供（ケアマネジャー → 病院）",
            episode.admission_info_due,
            episode.admission_info_sent_at,
            episode.is_open and episode.admission_info_sent_at is None and episode.admission_info_due < today,
            bonus_due=episode.admission_bonus_due,
        ),
        DueItem(
            ReminderKind.DISCHARGE_CONTACT,
            "退院前の連絡（病院 → ケアマネジャー）",
            episode.discharge_contact_due,
            episode.discharge_contacted_at,
            episode.is_open
            and episode.discharge_contacted_at is None
            and episode.discharge_contact_due is not None
            and episode.discharge_contact_due < today,
        ),
    ]
    return items


def recompute_region(region_id: int) -> int:
    """After the region changed its rule: the deadlines of its open episodes, again."""
    changed = 0
    for episode in Episode.objects.filter(
        patient__organization__municipality__region_id=region_id, status__in=OPEN_STATUSES
    ).select_related("patient__organization__municipality"):
        compute_deadlines(episode)
        episode.save(update_fields=["admission_bonus_due", "admission_info_due", "discharge_contact_due"])
        changed += 1
    return changed
