"""The facility's contact e-mails, to which update links and reminders go: registered by staff,
taken off the list, or marked bounced when they do not receive mail."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from renkei.core import permissions
from renkei.directory.models import Facility
from renkei.freshness.models import FacilityContact, ReminderDelivery, UpdateLink


def add_contact(facility: Facility, user, email: str) -> FacilityContact:
    """Staff register an address (again): one that was removed or bounced receives mail again."""
    if not permissions.can_send_facility_update_link(user, facility):
        raise PermissionDenied("この施設の連絡先を管理する権限がありません。")
    contact, created = FacilityContact.objects.get_or_create(facility=facility, email=email.strip().lower())
    if not created and (not contact.is_active or contact.bounced_at):
        reactivate_contact(contact)
    return contact


def revoke_contact_links(contact: FacilityContact, *, now: datetime | None = None) -> int:
    """Revoke every link sent to this contact of the facility (removed, bounced)."""
    return UpdateLink.objects.filter(
        facility_id=contact.facility_id, email=contact.email, revoked_at=None
    ).update(revoked_at=now or timezone.now())


def mark_bounced(contact: FacilityContact, *, now: datetime | None = None) -> None:
    """The address does not receive mail: no more reminders to it, and its links stop working."""
    now = now or timezone.now()
    with transaction.atomic():
        FacilityContact.objects.filter(pk=contact.pk).update(bounced_at=now)
        revoke_contact_links(contact, now=now)


def remove_contact(contact: FacilityContact, *, now: datetime | None = None) -> None:
    """Staff take the address off the list: no more reminders to it, and its links stop working."""
    with transaction.atomic():
        FacilityContact.objects.filter(pk=contact.pk).update(is_active=False)
        revoke_contact_links(contact, now=now)


def reactivate_contact(contact: FacilityContact) -> None:
    """Staff register the address again: it receives reminders again, including those it refused."""
    with transaction.atomic():
        FacilityContact.objects.filter(pk=contact.pk).update(is_active=True, bounced_at=None)
        ReminderDelivery.objects.filter(contact=contact, sent_at=None).update(failed_at=None)
