"""Demo data of freshness, on the directory's demo facilities (loaded before this, in INSTALLED_APPS
order): confirmation dates, contact e-mails (example.invalid, never delivered) and pending changes.
Safe to load again: a second run changes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from renkei.directory.models import Facility
from renkei.freshness.models import ChangeRequest, FacilityContact


def _mark_verified() -> int:
    """About 70 % of the facilities confirmed at various dates of the past year, so that freshness
    shows something. Chosen by id, so a second run changes nothing."""
    now = timezone.now()
    to_verify = []
    for facility in Facility.objects.filter(verified_at__isnull=True).only("id"):
        if facility.pk % 10 < 7:
            facility.verified_at = now - timedelta(days=(facility.pk * 37) % 360 + 1)
            to_verify.append(facility)
    Facility.objects.bulk_update(to_verify, ["verified_at"], batch_size=500)
    return len(to_verify)


def _add_contacts() -> int:
    """A contact e-mail (example.invalid, never delivered) for about 60 % of the facilities, one of
    them marked as bounced every 25, so that reminders and the dashboard have something to show."""
    existing = set(FacilityContact.objects.values_list("facility_id", flat=True))
    now = timezone.now()
    contacts = [
        FacilityContact(
            facility_id=pk,
            email=f"facility{pk}@example.invalid",
            bounced_at=now - timedelta(days=pk % 30) if pk % 25 == 0 else None,
        )
        for pk in Facility.objects.exclude(status="closed").values_list("id", flat=True)
        if pk % 10 < 6 and pk not in existing
    ]
    FacilityContact.objects.bulk_create(contacts, batch_size=500, ignore_conflicts=True)
    return len(contacts)


DEMO_CHANGES = [
    ({"name": "（デモ）名称変更の申請"}, "name"),
    ({"address": "（デモ）移転先の所在地"}, "address"),
    ({"status": "closed"}, "status"),
]


def _add_change_requests() -> int:
    """Three pending changes, as if sent through update links, for the review queue (once)."""
    if ChangeRequest.objects.filter(submitted_email__endswith="@example.invalid").exists():
        return 0
    facilities = list(
        Facility.objects.filter(contacts__isnull=False, status="active").distinct().order_by("id")[:3]
    )
    for facility, (proposed, field_name) in zip(facilities, DEMO_CHANGES, strict=False):
        if field_name == "name":
            proposed = {"name": f"{facility.name}（新名称）"}
        elif field_name == "address":
            proposed = {"address": f"{facility.address}（移転予定）"}
        ChangeRequest.objects.create(
            facility=facility,
            proposed=proposed,
            previous={key: getattr(facility, key) for key in proposed},
            submitted_email=facility.contacts.order_by("email")[0].email,
        )
    return len(facilities)


@transaction.atomic
def load(stdout) -> None:
    verified = _mark_verified()
    if verified:
        stdout.write(f"施設データ: {verified} 件に最終確認日を付けました（デモ用）。\n")
    contacts = _add_contacts()
    if contacts:
        stdout.write(f"施設データ: {contacts} 件に連絡先メール（example.invalid）を付けました（デモ用）。\n")
    changes = _add_change_requests()
    if changes:
        stdout.write(f"施設データ: 確認待ちの変更申請を {changes} 件作りました（デモ用）。\n")
