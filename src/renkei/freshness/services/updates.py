"""What a facility sends, through its update link or its own account after login: 「変更なし」 (a
confirmation of the entry as it stands), or an edit. Immediate fields publish at once; changes to the
reviewed fields wait for the municipality (:mod:`.review`). Either counts as a confirmation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from renkei.core import permissions
from renkei.directory.catalog import CAPABILITIES, AcceptanceStatus
from renkei.directory.models import Facility
from renkei.freshness.models import ChangeRequest, UpdateLink
from renkei.freshness.services.links import touch

# Changes to these wait for the municipality's review; everything else a link may edit publishes at once.
REVIEWED_FIELDS = [
    "name",
    "name_kana",
    "category",
    "postal_code",
    "address",
    "care_office_number",
    "medical_institution_id",
    "corporate_number",
    "status",
]
IMMEDIATE_FIELDS = [
    "phone",
    "fax",
    "url",
    "opening_hours",
    "capacity",
    "description",
    *[capability.field for capability in CAPABILITIES],
    "acceptance_status",
    "acceptance_note",
    "direct_phone",
    "liaison_contact",
]


@dataclass
class LinkEditResult:
    facility: Facility
    published: list[str] = field(default_factory=list)
    change_request: ChangeRequest | None = None


def json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def save_version(facility: Facility, reason: str, user=None) -> None:
    """Save the facility as a new version of its history, with who and why."""
    facility.set_search_fields()
    facility._change_reason = reason  # type: ignore[attr-defined]  # read by django-simple-history
    if user is not None:
        facility._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history
    facility.save()


def _confirm(facility_id: int, *, via: str, reason: str, user, now: datetime) -> Facility:
    facility = Facility.objects.select_for_update().get(pk=facility_id)
    facility.verified_at = now
    facility.verified_by = user
    facility.verified_via = via
    if facility.acceptance_status != AcceptanceStatus.UNKNOWN:
        facility.acceptance_stated_at = timezone.localdate(now)
    save_version(facility, reason, user)
    return facility


@transaction.atomic
def confirm_unchanged(link: UpdateLink, *, now: datetime | None = None) -> Facility:
    """「変更なし」 through a link: the entry (and its acceptance status) confirmed as it stands."""
    now = now or timezone.now()
    facility = _confirm(
        link.facility_id,
        via="link",
        reason=f"更新用リンク（{link.email}）: 変更なしを確認",
        user=None,
        now=now,
    )
    touch(link, now)
    return facility


@transaction.atomic
def confirm_unchanged_by_account(facility: Facility, user, *, now: datetime | None = None) -> Facility:
    """「変更なし」 by the facility's own staff, logged in."""
    if not permissions.can_update_own_facility(user, facility):
        raise PermissionDenied("この施設の掲載情報を確認する権限がありません。")
    return _confirm(
        facility.pk, via="account", reason="施設の職員: 変更なしを確認", user=user, now=now or timezone.now()
    )


@transaction.atomic
def apply_link_edit(link: UpdateLink, data: dict[str, Any], *, now: datetime | None = None) -> LinkEditResult:
    """An edit through a link: immediate fields publish now (and count as a confirmation); reviewed
    fields that changed become one pending :class:`ChangeRequest`. Only the link's own facility."""
    now = now or timezone.now()
    result = _apply_edit(link.facility_id, data, email=link.email, user=None, now=now)
    touch(link, now)
    return result


@transaction.atomic
def apply_account_edit(
    facility: Facility, user, data: dict[str, Any], *, now: datetime | None = None
) -> LinkEditResult:
    """The same edit by the facility's own staff after login (recorded with their account)."""
    if not permissions.can_update_own_facility(user, facility):
        raise PermissionDenied("この施設の掲載情報を更新する権限がありません。")
    return _apply_edit(facility.pk, data, email="", user=user, now=now or timezone.now())


def _apply_edit(facility_id: int, data: dict[str, Any], *, email: str, user, now: datetime) -> LinkEditResult:
    facility = Facility.objects.select_for_update().select_related("municipality").get(pk=facility_id)
    result = LinkEditResult(facility=facility)
    for name in IMMEDIATE_FIELDS:
        if name in data and getattr(facility, name) != data[name]:
            setattr(facility, name, data[name])
            result.published.append(name)
    if facility.acceptance_status != AcceptanceStatus.UNKNOWN:
        facility.acceptance_stated_at = timezone.localdate(now)
    proposed = {
        name: json_value(data[name])
        for name in REVIEWED_FIELDS
        if name in data and getattr(facility, name) != data[name]
    }
    if proposed:
        result.change_request = ChangeRequest.objects.create(
            facility=facility,
            proposed=proposed,
            previous={name: json_value(getattr(facility, name)) for name in proposed},
            submitted_email=email,
            submitted_by=user,
        )
    facility.verified_at = now
    facility.verified_by = user
    facility.verified_via = "link" if user is None else "account"
    save_version(facility, f"更新用リンク（{email}）で更新" if user is None else "施設の職員が更新", user)
    return result
