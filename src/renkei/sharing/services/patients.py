"""Patients: registering (with the duplicate check), editing, and a member's home list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, Organization, User
from renkei.core.text import normalize
from renkei.sharing.models import CareTeamMembership, DuplicateCheck, Patient, Post, PostRead, TeamRole
from renkei.sharing.services._common import SharingError, full_clean, log


def kana_key(kana: str) -> str:
    return normalize(kana).replace(" ", "")


def same_person_in_region(user: User, full_name_kana: str, birth_date: date) -> QuerySet[Patient]:
    """Records of the user's region with the same name-kana (normalised) and birth date."""
    region = permissions.home_region(user)
    if region is None:
        return Patient.objects.none()
    return Patient.objects.filter(
        kana_key=kana_key(full_name_kana),
        birth_date=birth_date,
        organization__municipality__region=region,
    )


def log_lookup(actor: User, patients: list[Patient], object_type: str) -> None:
    """Finding a record tells who holds it: each record found is logged, flagged, for its owners."""
    for patient in patients:
        record_access(
            actor,
            action=AccessLog.Action.VIEW,
            subject_type="patient",
            subject_id=patient.pk,
            object_type=object_type,
            flagged=True,
        )


DUPLICATE_CHECKS_PER_DAY = 20
DUPLICATE = "同じふりがな・生年月日の利用者が圏域内ですでに登録されています。"
DUPLICATE_CHECK_LIMIT = (
    "本日の登録時の重複確認が上限に達したため、登録できません。明日もう一度登録してください。"
    "急ぐときは、圏域の管理者に連絡してください。"
)


def duplicate_checks_per_day() -> int:
    return getattr(settings, "SHARING_DUPLICATE_CHECKS_PER_DAY", DUPLICATE_CHECKS_PER_DAY)


def is_possible_duplicate(actor: User, full_name_kana: str, birth_date: date) -> bool:
    """Before registering: does the region already hold a record of this person? The answer (never
    how many, nor whose) is itself a disclosure, so each record it rests on is logged and flagged,
    and one person may ask at most :func:`duplicate_checks_per_day` times in 24 hours (a refusal
    with status 429 beyond). :func:`register_patient` asks only once the rest of the record is
    valid, so the check cannot be run without registering someone."""
    since = timezone.now() - timedelta(days=1)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()  # one count per person at a time
        if DuplicateCheck.objects.filter(user=actor, at__gt=since).count() >= duplicate_checks_per_day():
            raise SharingError(DUPLICATE_CHECK_LIMIT, code="duplicate_check_limit", status=429)
        DuplicateCheck.objects.create(user=actor)
    found = list(same_person_in_region(actor, full_name_kana, birth_date))
    log_lookup(actor, found, "duplicate_check")
    return bool(found)


_TEAM_ROLE_BY_PROFESSION: dict[str, TeamRole] = {
    User.Profession.PHYSICIAN: TeamRole.PRIMARY_PHYSICIAN,
    User.Profession.NURSE: TeamRole.VISITING_NURSE,
    User.Profession.CARE_MANAGER: TeamRole.CARE_MANAGER,
    User.Profession.PHARMACIST: TeamRole.PHARMACIST,
    User.Profession.CARE_WORKER: TeamRole.CARE_SERVICE,
}


def default_team_role(user: User) -> str:
    if user.role == User.Role.MUNICIPALITY_STAFF:
        if (
            user.organization is not None
            and user.organization.kind == Organization.Kind.COMMUNITY_SUPPORT_CENTER
        ):
            return TeamRole.COMMUNITY_SUPPORT_CENTER
        return TeamRole.MUNICIPALITY
    return _TEAM_ROLE_BY_PROFESSION.get(user.profession, TeamRole.OTHER)


def register_patient(
    actor: User, data: dict[str, Any], team_role: str | None = None, *, confirmed_not_duplicate: bool = False
) -> Patient:
    """The registering person becomes the first member; their organisation owns the record.

    Unless ``confirmed_not_duplicate`` (the person was warned and confirmed it is someone else), the
    region is searched for the same person once the record is otherwise valid: a possible duplicate
    is refused with code ``possible_duplicate`` (409); the check's log and count stay."""
    if not permissions.can_register_patient(actor):
        raise PermissionDenied
    patient = Patient(organization=actor.organization, registered_by=actor, **data)
    full_clean(patient)
    if not confirmed_not_duplicate and is_possible_duplicate(
        actor, patient.full_name_kana, patient.birth_date
    ):
        raise SharingError(DUPLICATE, code="possible_duplicate", status=409)
    with transaction.atomic():
        patient.save()
        CareTeamMembership.objects.create(
            patient=patient,
            user=actor,
            organization_id=actor.organization_id,
            team_role=team_role or default_team_role(actor),
            invited_by=actor,
        )
        log(actor, patient, AccessLog.Action.CREATE)
    return patient


def view_patient(actor: User, patient: Patient, access: permissions.PatientAccess | None = None) -> Patient:
    """The patient's record as ``actor`` reads it (logged; flagged when by breaking the glass)."""
    log(actor, patient, AccessLog.Action.VIEW, access=access)
    return patient


def open_patient_form(actor: User, patient: Patient) -> Patient:
    """The record opened for editing by its owner (logged)."""
    log(actor, patient, AccessLog.Action.VIEW, "patient_form", patient.pk)
    return patient


@transaction.atomic
def update_patient(actor: User, patient: Patient, data: dict[str, Any]) -> Patient:
    for name, value in data.items():
        setattr(patient, name, value)
    full_clean(patient)
    patient.save()
    log(actor, patient, AccessLog.Action.UPDATE)
    return patient


def visible_patients(user: User) -> QuerySet[Patient]:
    """The patients whose record ``user`` sees as a care-team member, for other apps that offer a
    choice among them (:func:`renkei.core.permissions.patients_visible_to`)."""
    return permissions.patients_visible_to(user)


# --- the home list --------------------------------------------------------------------------


@dataclass
class HomeEntry:
    """One line of a member's home list (plain values: the list may hold hundreds of patients)."""

    patient_id: int
    full_name: str
    municipality: str
    team_role: str
    visible: bool
    last_post_at: datetime | None
    unread: int = 0
    unread_urgent: int = 0
    new_invitation: bool = False

    @property
    def team_role_label(self) -> str:
        return str(TeamRole(self.team_role).label)


def unread_counts(user: User) -> dict[int, tuple[int, int]]:
    """Per patient: (unread posts, unread urgent posts) since the user joined the team, in one
    aggregate query."""
    read = PostRead.objects.filter(post=OuterRef("pk"), user=user)
    rows = (
        Post.objects.filter(
            patient__memberships__user=user,
            patient__memberships__left_at=None,
            created_at__gte=F("patient__memberships__joined_at"),
        )
        .exclude(author=user)
        .filter(~Exists(read))
        .values("patient_id")
        .annotate(unread=Count("id"), urgent=Count("id", filter=Q(urgent=True)))
        .order_by()
    )
    return {row["patient_id"]: (row["unread"], row["urgent"]) for row in rows}


def home_list(user: User) -> list[HomeEntry]:
    """The member's patients: new invitations first, then unread urgent posts, then unread, then
    latest activity. Three
    queries whatever the number of teams. Names of patients whose record the member may not see
    yet (no consent, other organisation) are left out."""
    rows = permissions.memberships_with_visibility(
        user,
        "patient__full_name",
        "patient__last_post_at",
        "patient__municipality__name",
        "invitation_unseen",
    )
    counts = unread_counts(user)
    entries = []
    for row, visible in rows:
        unread, urgent = counts.get(row["patient_id"], (0, 0)) if visible else (0, 0)
        entries.append(
            HomeEntry(
                patient_id=row["patient_id"],
                full_name=row["patient__full_name"] if visible else "",
                municipality=row["patient__municipality__name"] if visible else "",
                team_role=row["team_role"],
                visible=visible,
                last_post_at=row["patient__last_post_at"] if visible else None,
                unread=unread,
                unread_urgent=urgent,
                new_invitation=row["invitation_unseen"],
            )
        )
    epoch = datetime.min.replace(tzinfo=UTC)
    entries.sort(
        key=lambda entry: (
            entry.new_invitation,
            entry.unread_urgent > 0,
            entry.unread > 0,
            entry.last_post_at or epoch,
            -entry.patient_id,
        ),
        reverse=True,
    )
    return entries
