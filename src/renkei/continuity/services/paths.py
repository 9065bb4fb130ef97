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
from renkei.core.audit import record_access
from renkei.core.business_days import ADMINISTRATIVE, local_date
from renkei.core.models import AccessLog, User
from renkei.directory.catalog import FacilityStatus
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


# What resolving reads of each step, as plain values: thousands of paths at once must not build
# thousands of model instances (steps, memberships, users, organisations, facilities).
ROW_FIELDS = (
    "pk", "patient_id", "position", "kind", "phone", "instructions", "organization_id",
    "organization__name", "facility__name", "facility__phone", "facility__direct_phone",
    "facility__status", "facility__round_the_clock", "member__team_role", "member__left_at",
    "member__user__full_name", "member__user__username", "member__user__is_active",
    "member__user__organization__name",
)  # fmt: skip


def _member_step(row: dict[str, Any]) -> tuple[str, bool, str]:
    role = TeamRole(row["member__team_role"]).label
    name = row["member__user__full_name"] or row["member__user__username"]
    label = f"{name}（{role}・{row['member__user__organization__name'] or ''}）"
    if row["member__left_at"] is not None or not row["member__user__is_active"]:
        return label, False, "ケアチームを離れています。"
    return label, True, ""


def _facility_step(row: dict[str, Any], office_hours: bool) -> tuple[str, bool, str, str]:
    name = row["facility__name"]
    phone = row["phone"] or row["facility__direct_phone"] or row["facility__phone"]
    if row["facility__status"] == FacilityStatus.CLOSED:
        return name, False, "廃止された施設です。", phone
    if not phone:
        return name, False, "電話番号が登録されていません。", phone
    if office_hours or row["facility__round_the_clock"] is True:
        return name, True, "", phone
    if row["facility__round_the_clock"] is False:
        return name, False, "24時間対応ではありません（夜間・休日はつながりません）。", phone
    return name, False, "24時間対応かどうか不明です（施設情報で未確認）。", phone


def _on_call_step(row: dict[str, Any], book: DutyBook) -> ResolvedStep:
    resolved = ResolvedStep(
        row["position"], row["kind"], f"{row['organization__name']}の当番", row["phone"],
        row["instructions"], False,
    )  # fmt: skip
    if not book.has_rota(row["organization_id"]):
        resolved.reason = "この時間に有効な当番表がありません。"
        return resolved
    duty = book.duty(row["organization_id"])
    resolved.people, resolved.duty_status = duty.names, duty.status
    if duty.status == "gap":
        resolved.reason = "この時間の当番がいません（当番表の空白）。"
    else:
        resolved.reachable = True
        if duty.status == "overlap":
            resolved.reason = "当番が重複しています（どちらかに連絡）。"
    return resolved


def resolve_step(row: dict[str, Any], book: DutyBook, office_hours: bool) -> ResolvedStep:
    position, kind, instructions = row["position"], row["kind"], row["instructions"]
    if kind == StepKind.ON_CALL:
        resolved = _on_call_step(row, book)
    elif kind == StepKind.MEMBER:
        label, reachable, reason = _member_step(row)
        resolved = ResolvedStep(position, kind, label, row["phone"], instructions, reachable, reason)
        resolved.people = [label.split("（", 1)[0]]
    elif kind == StepKind.FACILITY:
        label, reachable, reason, phone = _facility_step(row, office_hours)
        resolved = ResolvedStep(position, kind, label, phone, instructions, reachable, reason)
    else:
        resolved = ResolvedStep(position, kind, "119番通報", "119", instructions, True)
    resolved.step_id = row["pk"]
    return resolved


def _steps_of(patient_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    steps: dict[int, list[dict[str, Any]]] = {}
    rows = ContactStep.objects.filter(patient_id__in=patient_ids).order_by("patient_id", "position")
    for row in rows.values(*ROW_FIELDS):
        steps.setdefault(row["patient_id"], []).append(row)
    return steps


def resolve_paths(patient_ids: list[int], moment: datetime) -> dict[int, ResolvedPath]:
    """Each patient's path resolved at ``moment``; no check, no log (the callers do both). Four
    queries whatever the number of patients."""
    steps = _steps_of(patient_ids)
    organization_ids = {r["organization_id"] for rows in steps.values() for r in rows if r["organization_id"]}
    book = DutyBook.load(organization_ids, moment)
    office_hours = is_office_hours(moment)
    return {
        pk: ResolvedPath(
            moment, [resolve_step(s, book, office_hours) for s in steps.get(pk, [])], office_hours
        )
        for pk in patient_ids
    }


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
    paths = resolve_paths([patient.pk for patient in patients], moment)
    rows = []
    for patient in patients:
        record_access(
            actor,
            action=AccessLog.Action.VIEW,
            subject_type="patient",
            subject_id=patient.pk,
            object_type="contact_path",
            object_id=patient.pk,
        )
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
