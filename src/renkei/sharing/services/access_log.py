"""Who looked at a record: the owner's page of its access log, and the region administrator's
export for an audit (ids and actions, never the contents)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, Region, User
from renkei.core.spreadsheet import text_csv_writer
from renkei.sharing.models import EmergencyAccess, Patient
from renkei.sharing.services._common import log


def read_access_log(
    actor: User, patient: Patient, access: permissions.PatientAccess | None = None
) -> QuerySet[AccessLog]:
    """The record's access log, newest first, as its owner reads it (the reading is logged too)."""
    log(actor, patient, AccessLog.Action.VIEW, "access_log", patient.pk, access=access)
    return patient_access_log(patient)


def export_access_log(
    actor: User, region: Region, start: date | None = None, end: date | None = None
) -> Iterator[str]:
    """The region's access log as CSV text for ``actor``, a region administrator (logged)."""
    if not permissions.can_export_access_log(actor, region):
        raise PermissionDenied
    rows = region_access_log(region, start, end)
    record_access(actor, action=AccessLog.Action.EXPORT, subject_type="access_log", subject_id=region.pk)
    return export_rows(rows)


def patient_access_log(patient: Patient) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(subject_type="patient", subject_id=str(patient.pk)).select_related(
        "user", "organization"
    )


def with_emergency_reasons(rows: Iterable[AccessLog]) -> list[AccessLog]:
    """The rows of a patient's access log, each break-the-glass row with the reason given.

    The reason (often a health detail) stays on the EmergencyAccess, which only the record's
    owners read here; the access log itself, exported region-wide, never holds it."""
    rows = list(rows)
    ids = {row.object_id for row in rows if row.object_type == "emergency_access" and row.object_id.isdigit()}
    reasons = {
        str(pk): reason
        for pk, reason in EmergencyAccess.objects.filter(pk__in=ids).values_list("pk", "reason")
    }
    for row in rows:
        reason = reasons.get(row.object_id, "") if row.object_type == "emergency_access" else ""
        row.emergency_reason = reason  # type: ignore[attr-defined]  # for the template, not a column
    return rows


EXPORT_HEADER = [
    "日時",
    "利用者アカウントID",
    "氏名",
    "所属",
    "操作",
    "対象の種類",
    "対象ID",
    "操作したもの",
    "操作したもののID",
    "IPアドレス",
    "経路",
    "要確認",
]


def region_access_log(
    region: Region, start: date | None = None, end: date | None = None
) -> QuerySet[AccessLog]:
    patient_ids = (
        Patient.objects.filter(organization__municipality__region=region)
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    rows = AccessLog.objects.filter(subject_type="patient", subject_id__in=patient_ids)
    if start:
        rows = rows.filter(at__date__gte=start)
    if end:
        rows = rows.filter(at__date__lte=end)
    return rows.select_related("user", "organization").order_by("at", "pk")


def export_rows(rows: QuerySet[AccessLog]) -> Iterator[str]:
    """CSV text (UTF-8 with BOM, for Excel): who did what to which record id, never the contents.
    Names and organisations are typed by people, so they go out as text, never formulas."""
    buffer = io.StringIO()
    writer = text_csv_writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    yield "\ufeff"
    writer.writerow(EXPORT_HEADER)
    yield flush()
    for row in rows.iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                row.user_id or "",
                row.user.get_full_name() if row.user else "",
                row.organization.name if row.organization else "",
                row.get_action_display(),
                row.subject_kind_label,
                row.subject_id,
                row.object_kind_label,
                row.object_id,
                row.ip_address or "",
                row.via_label,
                "要確認" if row.flagged else "",
            ]
        )
        yield flush()
