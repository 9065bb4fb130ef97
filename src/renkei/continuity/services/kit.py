"""The 救急医療情報キット: one A4 sheet in large type for ambulance crews, from the shared record, plus
the fridge-door and front-door stickers. Each print keeps what it showed and a short version code,
so the team is told to reprint once any printed value has changed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from renkei.continuity.models import BloodType, KitPrint, KitProfile
from renkei.continuity.services.paths import latest_acp
from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, User
from renkei.core.pdf import render_pdf
from renkei.sharing.models import CareTeamMembership, Patient, TeamRole

SUPPORT_ROLES = (TeamRole.CARE_MANAGER, TeamRole.COMMUNITY_SUPPORT_CENTER)


def _wareki_free_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _supporters(patient: Patient) -> str:
    members = CareTeamMembership.objects.filter(
        patient=patient, left_at=None, team_role__in=SUPPORT_ROLES
    ).select_related("user__organization")
    return "\n".join(
        f"{TeamRole(m.team_role).label}: {m.user.full_name}（{m.user.organization.name if m.user.organization else ''}）"
        for m in members.order_by("joined_at", "pk")
    )


def _acp_lines(patient: Patient) -> str:
    record = latest_acp(patient)
    if record is None:
        return ""
    parts = [f"延命治療: {record.get_life_sustaining_display()}"]
    if record.life_sustaining_note:
        parts.append(f"（{record.life_sustaining_note}）")
    if record.place_of_death:
        parts.append(f"\n最期を迎えたい場所: {record.place_of_death}")
    if record.surrogate:
        parts.append(f"\n本人が決められないとき: {record.surrogate}")
    parts.append(f"\n（{_wareki_free_date(record.discussed_on)}の人生会議）")
    return "".join(parts)


def kit_values(patient: Patient) -> list[tuple[str, str]]:
    """What the sheet shows, label and value, in print order ("" when not recorded)."""
    profile = KitProfile.objects.filter(patient=patient).first()
    facility = patient.physician_facility
    physician_phone = (facility.phone if facility else "") or ""
    return [
        ("氏名", patient.full_name),
        ("ふりがな", patient.full_name_kana),
        ("生年月日", _wareki_free_date(patient.birth_date)),
        ("血液型", BloodType(profile.blood_type).label if profile and profile.blood_type else ""),
        ("持病", patient.conditions),
        ("かかりつけ医", patient.physician_label),
        ("かかりつけ医の電話", physician_phone),
        ("服薬", patient.medications),
        ("アレルギー", patient.allergies),
        ("緊急連絡先", patient.emergency_contacts),
        ("ケアマネ・包括", _supporters(patient)),
        ("人生会議（ACP）", _acp_lines(patient)),
    ]


def version_code(values: list[tuple[str, str]]) -> str:
    """Eight characters from the printed values (not the print date): equal codes, equal sheets."""
    digest = hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest().upper()
    return f"{digest[:4]}-{digest[4:8]}"


@dataclass
class ReprintNotice:
    printed: KitPrint
    current_code: str
    changed: list[str]


def reprint_notice(patient: Patient) -> ReprintNotice | None:
    """When the last printed sheet differs from the record: which values changed since."""
    last = KitPrint.objects.filter(patient=patient).order_by("-printed_at", "-pk").first()
    if last is None:
        return None
    values = kit_values(patient)
    code = version_code(values)
    if code == last.version_code:
        return None
    printed = dict(tuple(pair) for pair in last.values)
    changed = [label for label, value in values if printed.get(label) != value]
    return ReprintNotice(last, code, changed)


@transaction.atomic
def print_kit(actor: User, patient: Patient) -> tuple[bytes, KitPrint]:
    """The kit as PDF bytes, printed by ``actor`` (checked, kept, access-logged as a print)."""
    if not permissions.can_print_kit(permissions.patient_access(actor, patient)):
        record_access(actor, action=AccessLog.Action.DENIED, subject_type="patient", subject_id=patient.pk)
        raise PermissionDenied
    values = kit_values(patient)
    printed = KitPrint.objects.create(
        patient=patient,
        version_code=version_code(values),
        values=[list(pair) for pair in values],
        printed_by=actor,
        printed_at=timezone.now(),
    )
    record_access(
        actor,
        action=AccessLog.Action.PRINT,
        subject_type="patient",
        subject_id=patient.pk,
        object_type="emergency_kit",
        object_id=printed.pk,
    )
    content = render_pdf(
        "continuity/kit_pdf.html",
        {
            "patient": patient,
            "values": values,
            "code": printed.version_code,
            "printed_at": timezone.localtime(printed.printed_at),
        },
    )
    return content, printed


def set_blood_type(actor: User, patient: Patient, blood_type: str) -> KitProfile:
    access = permissions.patient_access(actor, patient)
    if not permissions.can_edit_contact_path(access):
        raise PermissionDenied
    if blood_type not in BloodType.values:
        from renkei.continuity.services._common import ContinuityError

        raise ContinuityError("血液型を一覧から選んでください。", "blood_type")
    profile, _created = KitProfile.objects.update_or_create(
        patient=patient, defaults={"blood_type": blood_type}
    )
    record_access(
        actor,
        action=AccessLog.Action.UPDATE,
        subject_type="patient",
        subject_id=patient.pk,
        object_type="kit_profile",
        object_id=profile.pk,
    )
    return profile
