"""Each patient's contact path for nights, holidays and sudden change: ordered steps, each resolved
for a moment to whom to call (the team member, the organisation's person on duty, a facility's
24-hour line, 119) or to why that step cannot be reached then."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.utils import timezone

from renkei.continuity.models import AcpRecord, ContactStep, StepKind
from renkei.continuity.services._common import ContinuityError, full_clean
from renkei.continuity.services.duty import DutyBook
from renkei.core import permissions
from renkei.core.audit import record_access, record_accesses
from renkei.core.business_days import ADMINISTRATIVE, local_date
from renkei.core.models import AccessLog, Organization, User
from renkei.directory.catalog import FacilityStatus
from renkei.directory.models import Facility
from renkei.sharing.models import CareTeamMembership, Patient, TeamRole

# Office hours of the offices on a care team: business days (行政機関の休日 off) 8:30–17:30.
OFFICE_OPENS, OFFICE_CLOSES = time(8, 30), time(17, 30)
STEP_FIELDS = {
    StepKind.MEMBER: "member",
    StepKind.ON_CALL: "organization",
    StepKind.FACILITY: "facility",
    StepKind.EMERGENCY: "",
}


def is_office_hours(moment: datetime) -> bool:
    clock = timezone.localtime(moment).time()
    return ADMINISTRATIVE.is_business_day(local_date(moment)) and OFFICE_OPENS <= clock < OFFICE_CLOSES


@dataclass
class ResolvedStep:
    position: int
    kind: str
    label: str
    phone: str
    instructions: str
    reachable: bool
    reason: str = ""
    people: list[str] = field(default_factory=list)
    duty_status: str = ""
    step_id: int | None = None

    @property
    def kind_label(self) -> str:
        return str(StepKind(self.kind).label)

    def as_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "kind": self.kind,
            "label": self.label,
            "people": self.people,
            "phone": self.phone,
            "instructions": self.instructions,
        }


@dataclass
class ResolvedPath:
    moment: datetime
    steps: list[ResolvedStep]
    office_hours: bool
    latest_acp: AcpRecord | None = None

    @property
    def first(self) -> ResolvedStep | None:
        return next((step for step in self.steps if step.reachable), None)

    @property
    def all_unreachable(self) -> bool:
        """Every step fails at this moment (an empty path counts: nobody to call)."""
        return self.first is None


# Resolving thousands of paths at once reads plain values, never model instances: the steps in one
# query, then each organisation, facility and membership they name once.
STEP_FIELDS_READ = (
    "pk", "patient_id", "position", "kind", "phone", "instructions", "organization_id", "facility_id",
    "member_id",
)  # fmt: skip


@dataclass(frozen=True)
class _Targets:
    organizations: dict[int, str]
    facilities: dict[int, tuple[str, str, str, str, bool | None]]
    members: dict[int, tuple[str, bool]]

    @classmethod
    def load(cls, rows: list[tuple]) -> _Targets:
        organization_ids = {row[6] for row in rows if row[6]}
        facility_ids = {row[7] for row in rows if row[7]}
        member_ids = {row[8] for row in rows if row[8]}
        members = {}
        for pk, role, left_at, full_name, username, active, organization in CareTeamMembership.objects.filter(
            pk__in=member_ids
        ).values_list(
            "pk", "team_role", "left_at", "user__full_name", "user__username", "user__is_active",
            "user__organization__name",
        ):  # fmt: skip
            label = f"{full_name or username}（{TeamRole(role).label}・{organization or ''}）"
            members[pk] = (label, left_at is None and active)
        return cls(
            dict(Organization.objects.filter(pk__in=organization_ids).values_list("pk", "name")),
            {
                row[0]: row[1:]
                for row in Facility.objects.filter(pk__in=facility_ids).values_list(
                    "pk", "name", "phone", "direct_phone", "status", "round_the_clock"
                )
            },
            members,
        )


def _facility_step(facility: tuple, own_phone: str, office_hours: bool) -> tuple[str, bool, str, str]:
    name, phone, direct_phone, status, round_the_clock = facility
    phone = own_phone or direct_phone or phone
    if status == FacilityStatus.CLOSED:
        return name, False, "廃止された施設です。", phone
    if not phone:
        return name, False, "電話番号が登録されていません。", phone
    if office_hours or round_the_clock is True:
        return name, True, "", phone
    if round_the_clock is False:
        return name, False, "24時間対応ではありません（夜間・休日はつながりません）。", phone
    return name, False, "24時間対応かどうか不明です（施設情報で未確認）。", phone


def _on_call(organization_id: int, name: str, book: DutyBook) -> tuple[str, bool, str, list[str], str]:
    """(label, reachable, reason, people, duty status) of an organisation's duty at the book's moment."""
    label = f"{name}の当番"
    if not book.has_rota(organization_id):
        return label, False, "この時間に有効な当番表がありません。", [], ""
    duty = book.duty(organization_id)
    if duty.status == "gap":
        return label, False, "この時間の当番がいません（当番表の空白）。", [], duty.status
    reason = "当番が重複しています（どちらかに連絡）。" if duty.status == "overlap" else ""
    return label, True, reason, duty.names, duty.status


class _Resolver:
    def __init__(self, targets: _Targets, book: DutyBook, office_hours: bool) -> None:
        self.targets, self.book, self.office_hours = targets, book, office_hours
        self._duties: dict[int, tuple[str, bool, str, list[str], str]] = {}

    def step(self, row: tuple) -> ResolvedStep:
        pk, _patient_id, position, kind, phone, instructions, organization_id, facility_id, member_id = row
        if kind == StepKind.ON_CALL:
            if organization_id not in self._duties:
                name = self.targets.organizations.get(organization_id, "")
                self._duties[organization_id] = _on_call(organization_id, name, self.book)
            label, reachable, reason, people, status = self._duties[organization_id]
            return ResolvedStep(position, kind, label, phone, instructions, reachable, reason,
                                list(people), status, pk)  # fmt: skip
        if kind == StepKind.MEMBER:
            label, reachable = self.targets.members[member_id]
            reason = "" if reachable else "ケアチームを離れています。"
            return ResolvedStep(position, kind, label, phone, instructions, reachable, reason,
                                [label.split("（", 1)[0]], "", pk)  # fmt: skip
        if kind == StepKind.FACILITY:
            label, reachable, reason, phone = _facility_step(
                self.targets.facilities[facility_id], phone, self.office_hours
            )
            return ResolvedStep(position, kind, label, phone, instructions, reachable, reason, step_id=pk)
        return ResolvedStep(position, kind, "119番通報", "119", instructions, True, step_id=pk)


def _step_rows(patient_ids: list[int], member_of: User | None) -> list[tuple]:
    steps = ContactStep.objects.order_by("patient_id", "position")
    if member_of is None:
        return list(steps.filter(patient_id__in=patient_ids).values_list(*STEP_FIELDS_READ))
    # Many patients: join through the member's teams rather than bind thousands of ids.
    wanted = set(patient_ids)
    rows = steps.filter(patient__memberships__user=member_of, patient__memberships__left_at=None)
    return [row for row in rows.values_list(*STEP_FIELDS_READ) if row[1] in wanted]


def resolve_paths(
    patient_ids: list[int], moment: datetime, member_of: User | None = None
) -> dict[int, ResolvedPath]:
    """Each patient's path resolved at ``moment``; no check, no log (the callers do both). A fixed
    number of queries whatever the number of patients. ``member_of``: the patients are (a subset of)
    this user's current teams."""
    rows = _step_rows(patient_ids, member_of)
    book = DutyBook.load({row[6] for row in rows if row[6]}, moment)
    office_hours = is_office_hours(moment)
    resolver = _Resolver(_Targets.load(rows), book, office_hours)
    steps: dict[int, list[ResolvedStep]] = {}
    for row in rows:
        steps.setdefault(row[1], []).append(resolver.step(row))
    return {pk: ResolvedPath(moment, steps.get(pk, []), office_hours) for pk in patient_ids}


def latest_acp(patient: Patient) -> AcpRecord | None:
    return AcpRecord.objects.filter(patient=patient).order_by("-discussed_on", "-pk").first()


def resolve_path(
    actor: User, patient: Patient, moment: datetime, access: permissions.PatientAccess | None = None
) -> ResolvedPath:
    """The patient's path at ``moment`` as ``actor`` reads it (checked, logged)."""
    access = access or permissions.patient_access(actor, patient)
    if not permissions.can_view_contact_path(access):
        raise PermissionDenied
    _log(actor, patient, AccessLog.Action.VIEW, access)
    path = resolve_paths([patient.pk], moment)[patient.pk]
    path.latest_acp = latest_acp(patient)
    return path


def path_on_patient_page(
    actor: User, patient: Patient, moment: datetime, access: permissions.PatientAccess
) -> ResolvedPath | None:
    """The path shown on top of the patient page (None when the patient has none). The page's own
    read of the record is logged by sharing; this part of the same page adds no row of its own."""
    if not permissions.can_view_contact_path(access):
        raise PermissionDenied
    path = resolve_paths([patient.pk], moment)[patient.pk]
    if not path.steps:
        return None
    path.latest_acp = latest_acp(patient)
    return path


def _log(actor: User, patient: Patient, action: str, access: permissions.PatientAccess) -> None:
    record_access(
        actor,
        action=action,
        subject_type="patient",
        subject_id=patient.pk,
        object_type="contact_path",
        object_id=patient.pk,
        flagged=access.emergency_view,
    )


def _editable(actor: User, patient: Patient) -> permissions.PatientAccess:
    access = permissions.patient_access(actor, patient)
    if not permissions.can_edit_contact_path(access):
        raise PermissionDenied
    return access


def _check_target(patient: Patient, step: ContactStep) -> None:
    needed = STEP_FIELDS[StepKind(step.kind)]
    for name in ("member", "organization", "facility"):
        if name != needed:
            setattr(step, name, None)
    if needed and getattr(step, f"{needed}_id") is None:
        raise ContinuityError("この種類の連絡先では、連絡する相手を選んでください。", needed)
    if step.member is not None and (step.member.patient_id != patient.pk or step.member.left_at):
        raise ContinuityError("この利用者のケアチームの現在のメンバーを選んでください。", "member")
    region_id = patient.organization.municipality.region_id
    if step.organization is not None and step.organization.municipality.region_id != region_id:
        raise ContinuityError("圏域内の組織を選んでください。", "organization")


@transaction.atomic
def add_step(actor: User, patient: Patient, data: dict[str, Any]) -> ContactStep:
    access = _editable(actor, patient)
    last = ContactStep.objects.filter(patient=patient).aggregate(last=Max("position"))["last"] or 0
    step = ContactStep(patient=patient, position=last + 1, created_by=actor, **data)
    _check_target(patient, step)
    full_clean(step, exclude=["patient", "created_by"])
    step.save()
    _log(actor, patient, AccessLog.Action.UPDATE, access)
    return step


@transaction.atomic
def remove_step(actor: User, patient: Patient, step_id: int) -> None:
    access = _editable(actor, patient)
    get_object_or_404(ContactStep, pk=step_id, patient=patient).delete()
    for position, step in enumerate(ContactStep.objects.filter(patient=patient).order_by("position"), 1):
        if step.position != position:
            ContactStep.objects.filter(pk=step.pk).update(position=position)
    _log(actor, patient, AccessLog.Action.UPDATE, access)


@transaction.atomic
def move_step(actor: User, patient: Patient, step_id: int, offset: int) -> None:
    """Move a step one place up (``offset`` −1) or down (+1)."""
    access = _editable(actor, patient)
    steps = list(ContactStep.objects.select_for_update().filter(patient=patient).order_by("position"))
    index = next((i for i, step in enumerate(steps) if step.pk == step_id), None)
    if index is None:
        raise ContinuityError("その段階はこの利用者の連絡経路にありません。")
    other = index + offset
    if not 0 <= other < len(steps):
        return
    first, second = steps[index], steps[other]
    # Through a free position: the (patient, position) pair is unique at every moment.
    ContactStep.objects.filter(pk=first.pk).update(position=0)
    ContactStep.objects.filter(pk=second.pk).update(position=first.position)
    ContactStep.objects.filter(pk=first.pk).update(position=second.position)
    _log(actor, patient, AccessLog.Action.UPDATE, access)


def step_choices(actor: User, patient: Patient) -> dict[str, Any]:
    """What a step may name: the patient's current members, the region's organisations with a rota."""
    return {
        "members": CareTeamMembership.objects.filter(patient=patient, left_at=None).select_related("user"),
        "organizations": permissions.rota_organizations_for(actor)
        .filter(on_call_rotas__isnull=False)
        .distinct(),
    }


def tonight(actor: User, moment: datetime) -> list[dict[str, Any]]:
    """Each of ``actor``'s patients with the first contact reachable at ``moment`` (None when every
    step fails). Each patient's path read is logged."""
    patients = list(permissions.patients_visible_to(actor).only("pk", "full_name"))
    paths = resolve_paths([patient.pk for patient in patients], moment, member_of=actor)
    record_accesses(
        actor,
        action=AccessLog.Action.VIEW,
        subject_type="patient",
        reads=[(patient.pk, "contact_path", patient.pk) for patient in patients],
    )
    rows = []
    for patient in patients:
        path = paths[patient.pk]
        first = path.first
        rows.append(
            {
                "patient_id": patient.pk,
                "full_name": patient.full_name,
                "first_contact": first.as_json() if first else None,
                "all_unreachable": path.all_unreachable,
            }
        )
    return rows
