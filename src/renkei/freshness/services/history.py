"""Every version of an entry (django-simple-history on :class:`Facility`): who, when, why, what
changed; and bringing an earlier version back."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from renkei.core import permissions
from renkei.directory.models import Facility
from renkei.freshness.services.errors import ReviewError
from renkei.freshness.services.review import CODE_FIELDS, check_codes, display_value, field_label
from renkei.freshness.services.updates import save_version

HISTORY_SKIP = {"id", "created_at", "source_file", "source_row", "imported_at"}
# Each version's heading already says who confirmed it, when and why; a save that changes nothing
# else is a confirmation, not a change.
CONFIRMATION_FIELDS = {"verified_at", "verified_by", "verified_via"}


def history_versions(facility: Facility, limit: int = 100) -> list[dict[str, Any]]:
    """Newest first: who, when, why, and what changed from the version before."""
    records = list(
        facility.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    versions = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None:
            delta = record.diff_against(older)
            changes = [
                {
                    "label": field_label(change.field),
                    "old": display_value(change.field, change.old),
                    "new": display_value(change.field, change.new),
                }
                for change in delta.changes
                if change.field not in HISTORY_SKIP | CONFIRMATION_FIELDS
            ]
        versions.append({"record": record, "changes": changes, "is_current": index == 0})
    return versions


@transaction.atomic
def restore_version(facility: Facility, history_id: int, user) -> Facility:
    """Bring back an earlier version; the restore is itself a new version."""
    if not permissions.can_restore_facility_version(user, facility):
        raise PermissionDenied("この施設の履歴を復元する権限がありません。")
    record = facility.history.filter(history_id=history_id).first()
    if record is None:
        raise ReviewError("指定された版が見つかりません。")
    restored = record.instance
    current = Facility.objects.select_for_update().get(pk=facility.pk)
    mark = current.missing_from_source_at
    check_codes({name: getattr(restored, name) for name in CODE_FIELDS}, facility.pk)
    for field_ in Facility.history.model._meta.concrete_fields:
        name = field_.attname
        if name.startswith("history_") or name in HISTORY_SKIP:
            continue
        if hasattr(current, name):
            setattr(current, name, getattr(restored, name))
    # The restore is staff's confirmation of the content; the import's mark stays as it is.
    current.missing_from_source_at = mark
    current.verified_at = timezone.now()
    current.verified_by = user
    current.verified_via = "restore"
    local = timezone.localtime(record.history_date)
    save_version(current, f"{local:%Y-%m-%d %H:%M} の版を復元", user)
    return current
