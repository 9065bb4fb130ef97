"""Meetings and trainings: planning, invitations, registration, attendance, materials and minutes."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet, Sum

from renkei.core import permissions, uploads
from renkei.core.models import Municipality, Organization, User
from renkei.core.services import RuleError
from renkei.meetings.models import (
    MEDICAL_INSTITUTION_KINDS,
    RESIDENT_KINDS,
    Attendance,
    Event,
    Invitation,
    Material,
    Registration,
)

UPLOAD_AREA = "meetings"
MATERIAL_MAX_BYTES = 20 * 1024 * 1024

# What a planner may set on an event (the form's fields).
EVENT_FIELDS = (
    "kind",
    "title",
    "theme",
    "lecturer",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "target_professions",
    "description",
    "on_paper",
    "open_to_public",
)


class EventError(RuleError):
    code = "meetings_event_invalid"


def _check_times(values: dict) -> None:
    if values["ends_at"] <= values["starts_at"]:
        raise EventError("終了日時は開始日時より後にしてください。", "ends_at")
    if not values.get("place") and not values.get("online_url"):
        raise EventError("会場かオンライン参加のURLのどちらかを入力してください。", "place")
    if values.get("open_to_public") and values.get("kind") not in RESIDENT_KINDS:
        raise EventError("住民に公開できるのは、住民向け講演会と出前講座だけです。", "open_to_public")
    professions = set(User.Profession.values)
    if any(code not in professions for code in values.get("target_professions", [])):
        raise EventError("対象職種の指定が正しくありません。", "target_professions")


def _organizer_for(actor: User, municipality: Municipality | None) -> Organization:
    """The organising body: the actor's municipal office (or 包括) for a municipality's event, the
    actor's organisation (the 医師会 of a region administrator) for a region-wide one."""
    if actor.organization is None:
        raise PermissionDenied
    return actor.organization


def create_event(actor: User, municipality: Municipality | None, **values) -> Event:
    if not permissions.can_organise_for(actor, municipality):
        raise PermissionDenied
    _check_times(values)
    region = permissions.home_region(actor)
    assert region is not None  # can_plan_events holds only for members of a region
    fields = {name: values[name] for name in EVENT_FIELDS if name in values}
    return Event.objects.create(
        region=region,
        municipality=municipality,
        organizer=_organizer_for(actor, municipality),
        created_by=actor,
        **fields,
    )


def update_event(actor: User, event: Event, **values) -> Event:
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    merged = {name: getattr(event, name) for name in EVENT_FIELDS} | values
    _check_times(merged)
    for name in EVENT_FIELDS:
        setattr(event, name, merged[name])
    event.sequence += 1  # calendars replace their copy of the event when SEQUENCE grows
    with transaction.atomic():
        event.save()
        event.attendances.exclude(fiscal_year=event.fiscal_year).update(fiscal_year=event.fiscal_year)
    return event


def save_minutes(actor: User, event: Event, minutes: str) -> None:
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    event.minutes = minutes
    event.save(update_fields=["minutes", "updated_at"])


def invitable_organizations(event: Event, kinds: list[str], whole_region: bool) -> QuerySet[Organization]:
    organizations = Organization.objects.filter(is_active=True, kind__in=kinds)
    if whole_region or event.municipality_id is None:
        return organizations.filter(municipality__region_id=event.region_id)
    return organizations.filter(municipality_id=event.municipality_id)


@transaction.atomic
def invite(actor: User, event: Event, kinds: list[str], whole_region: bool = False) -> int:
    """Invite the region's (or the event's municipality's) organisations of ``kinds``; returns how
    many were newly invited."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    if not kinds or any(kind not in Organization.Kind.values for kind in kinds):
        raise EventError("招待する組織の種別を選んでください。", "kinds")
    already = set(event.invitations.values_list("organization_id", flat=True))
    new = [
        Invitation(event=event, organization_id=pk)
        for pk in invitable_organizations(event, kinds, whole_region).values_list("pk", flat=True)
        if pk not in already
    ]
    Invitation.objects.bulk_create(new)
    return len(new)


def register(actor: User, event: Event) -> Registration:
    if not permissions.can_register(actor, event):
        raise PermissionDenied
    registration, _ = Registration.objects.get_or_create(event=event, user=actor)
    return registration


def cancel_registration(actor: User, event: Event) -> None:
    Registration.objects.filter(event=event, user=actor).delete()


def _is_medical(organization: Organization | None) -> bool:
    return organization is not None and organization.kind in MEDICAL_INSTITUTION_KINDS


@transaction.atomic
def record_named_attendance(actor: User, event: Event, users: list[User]) -> int:
    """Mark registered (or other) people as present; returns how many were newly marked."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    if event.on_paper:
        raise EventError("紙で受付した会議は、職種別の人数で出席を記録してください。")
    present = set(event.attendances.values_list("user_id", flat=True))
    new = [
        Attendance(
            event=event,
            **event.attendance_scope(),
            user=user,
            profession=user.profession or User.Profession.OTHER,
            medical_institution=_is_medical(user.organization),
        )
        for user in users
        if user.pk not in present
    ]
    Attendance.objects.bulk_create(new)
    return len(new)


def remove_named_attendance(actor: User, event: Event, user: User) -> None:
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    event.attendances.filter(user=user).delete()


@transaction.atomic
def record_counts(actor: User, event: Event, counts: dict[tuple[str, bool], int]) -> None:
    """Attendance of an event run on paper: ``{(profession, from a 医療機関): number}``; a zero
    removes the row. The numbers replace the ones recorded before."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    if not event.on_paper:
        raise EventError("オンライン受付の会議は、出席者を名簿から記録してください。")
    for (profession, _medical), number in counts.items():
        if profession not in User.Profession.values or number < 0:
            raise EventError("職種別の人数が正しくありません。", "counts")
    event.attendances.filter(user__isnull=True).delete()
    Attendance.objects.bulk_create(
        [
            Attendance(
                event=event,
                **event.attendance_scope(),
                profession=profession,
                medical_institution=medical,
                count=number,
            )
            for (profession, medical), number in counts.items()
            if number > 0
        ]
    )


@dataclass(frozen=True)
class AttendanceRow:
    profession: str
    label: str
    medical: int
    other: int

    @property
    def total(self) -> int:
        return self.medical + self.other


def attendance_by_profession(event: Event) -> list[AttendanceRow]:
    """Attendance per profession (医療機関 apart), named people and paper counts alike."""
    totals: dict[tuple[str, bool], int] = {}
    for row in event.attendances.values("profession", "medical_institution").annotate(n=Sum("count")):
        totals[(row["profession"], row["medical_institution"])] = row["n"]
    return [
        AttendanceRow(code, label, totals.get((code, True), 0), totals.get((code, False), 0))
        for code, label in User.Profession.choices
        if (code, True) in totals or (code, False) in totals
    ]


def add_material(actor: User, event: Event, title: str, uploaded: uploads.Upload) -> Material:
    if not permissions.can_manage_event(actor, event):
        raise PermissionDenied
    if not title.strip():
        raise EventError("資料名を入力してください。", "title")
    checked = uploads.check(uploaded, allowed=(uploads.PDF,), max_bytes=MATERIAL_MAX_BYTES)
    name = uploads.store(checked, area=UPLOAD_AREA)
    return Material.objects.create(
        event=event,
        title=title.strip(),
        stored_name=name,
        original_name=checked.original_name,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )


def remove_material(actor: User, material: Material) -> None:
    if not permissions.can_manage_event(actor, material.event):
        raise PermissionDenied
    uploads.remove(material.stored_name, area=UPLOAD_AREA)
    material.delete()


def material_download(actor: User, material: Material):
    if not permissions.can_view_materials(actor, material.event):
        raise PermissionDenied
    return uploads.download_response(
        material.stored_name, area=UPLOAD_AREA, content_type=uploads.PDF, filename=material.original_name
    )
