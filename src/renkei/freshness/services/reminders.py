"""Reminders: which are due (each region's policy), and sending them — each reminder a unique
:class:`ReminderDelivery` row under the queue rules of :mod:`renkei.core.mail`; an address refused for
good also marks its contact bounced. Also staff's one-click 「リンクを再送」."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F, Q
from django.utils import timezone

from renkei.core import permissions
from renkei.core.mail import Delivery, MailRun, claim, deliver, is_permanent_refusal
from renkei.core.models import Municipality
from renkei.directory.catalog import AcceptanceStatus, FacilityStatus
from renkei.directory.models import Facility
from renkei.freshness.models import FacilityContact, FreshnessPolicy, ReminderDelivery, UpdateLink
from renkei.freshness.services import mail
from renkei.freshness.services.contacts import mark_bounced
from renkei.freshness.services.errors import MailNotSent
from renkei.freshness.services.links import issue_link, link_url, revoke_link
from renkei.freshness.services.policy import policies, policy_for

logger = logging.getLogger(__name__)

CHUNK = 2000

Key = tuple[int, str, date, int]  # contact, kind, due date, offset


@dataclass
class DueReminder:
    contact_id: int
    facility_id: int
    kind: str
    due_date: date
    offset_days: int

    @property
    def key(self) -> Key:
        return (self.contact_id, self.kind, self.due_date, self.offset_days)


@dataclass
class ReminderRun(MailRun):
    bounced: int = 0  # contacts the mail server refused for good


def _latest_offset(offsets: list[int], elapsed_days: int) -> int | None:
    """The last reminder time reached ``elapsed_days`` after the due date (offsets sorted)."""
    reached = None
    for offset in offsets:
        if offset > elapsed_days:
            break
        reached = offset
    return reached


def due_reminders(now: datetime | None = None) -> list[DueReminder]:
    """Every reminder that should have gone out by ``now`` (sent or not).

    One scan of the contacts for the whole country (each facility's region policy applied in
    Python), reading only keys and dates — no names, no addresses."""
    today = timezone.localdate(now or timezone.now())
    region_of = dict(Municipality.objects.values_list("id", "region_id"))
    found_policies = policies({rid for rid in region_of.values() if rid is not None})
    policy_of = {mid: found_policies.get(rid) or found_policies[None] for mid, rid in region_of.items()}
    used = list({id(p): p for p in policy_of.values()}.values()) or [FreshnessPolicy()]
    entry = {mid: (timedelta(days=p.fresh_days), p.offsets) for mid, p in policy_of.items()}
    acceptance = {
        mid: (timedelta(days=p.acceptance_fresh_days), p.acceptance_offsets) for mid, p in policy_of.items()
    }
    contacts = FacilityContact.objects.filter(is_active=True, bounced_at=None).exclude(
        facility__status=FacilityStatus.CLOSED
    )
    tz = timezone.get_current_timezone()
    found: list[DueReminder] = []
    # The entry as a whole: due fresh_days after the last confirmation (or after it was listed).
    earliest = min(p.fresh_days + p.offsets[0] for p in used)
    cutoff = today - timedelta(days=earliest)
    cutoff_at = timezone.make_aware(datetime.combine(cutoff + timedelta(days=1), datetime.min.time()))
    rows = contacts.filter(
        Q(facility__verified_at__lt=cutoff_at)
        | Q(facility__verified_at=None, facility__created_at__lt=cutoff_at)
    ).values_list(
        "id", "facility_id", "facility__municipality_id", "facility__verified_at", "facility__created_at"
    )
    for contact_id, facility_id, municipality_id, verified_at, created_at in rows.iterator(chunk_size=10000):
        period, offsets = entry[municipality_id]
        due = (verified_at or created_at).astimezone(tz).date() + period
        offset = _latest_offset(offsets, (today - due).days)
        if offset is not None:
            found.append(DueReminder(contact_id, facility_id, "entry", due, offset))
    # Acceptance status: a shorter cycle, counted from the date it was last stated.
    earliest = min(p.acceptance_fresh_days + p.acceptance_offsets[0] for p in used)
    accepting = (
        contacts.exclude(facility__acceptance_status=AcceptanceStatus.UNKNOWN)
        .filter(facility__acceptance_stated_at__lte=today - timedelta(days=earliest))
        .values_list("id", "facility_id", "facility__municipality_id", "facility__acceptance_stated_at")
    )
    for contact_id, facility_id, municipality_id, stated in accepting.iterator(chunk_size=10000):
        if stated is None:  # not selected (acceptance_stated_at__lte), but the column may be empty
            continue
        period, offsets = acceptance[municipality_id]
        due = stated + period
        offset = _latest_offset(offsets, (today - due).days)
        if offset is not None:
            found.append(DueReminder(contact_id, facility_id, "acceptance", due, offset))
    return found


def _recorded(contact_ids: list[int], keys: dict[Key, DueReminder]) -> dict[Key, tuple[int, bool]]:
    """Key → (delivery id, done) of the rows already recorded for ``keys``: done when sent, or
    refused for good."""
    rows: dict[Key, tuple[int, bool]] = {}
    for start in range(0, len(contact_ids), CHUNK):
        for (
            pk,
            contact_id,
            kind,
            due_date,
            offset_days,
            sent_at,
            failed_at,
        ) in ReminderDelivery.objects.filter(contact_id__in=contact_ids[start : start + CHUNK]).values_list(
            "id", "contact_id", "kind", "due_date", "offset_days", "sent_at", "failed_at"
        ):
            key = (contact_id, kind, due_date, offset_days)
            if key in keys:
                rows[key] = (pk, sent_at is not None or failed_at is not None)
    return rows


def _record_new(keys: dict[Key, DueReminder], existing: dict[Key, tuple[int, bool]]) -> None:
    """Create the rows not recorded yet, and add them to ``existing``."""
    new = [reminder for key, reminder in keys.items() if key not in existing]
    for start in range(0, len(new), CHUNK):
        ReminderDelivery.objects.bulk_create(
            [
                ReminderDelivery(
                    contact_id=d.contact_id,
                    facility_id=d.facility_id,
                    kind=d.kind,
                    due_date=d.due_date,
                    offset_days=d.offset_days,
                )
                for d in new[start : start + CHUNK]
            ],
            ignore_conflicts=True,  # another run may have created the same row meanwhile
        )
    if new:
        existing.update(_recorded(sorted({d.contact_id for d in new}), keys))


def _addresses(contact_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Contact id → (address, facility name), read only for what is actually to be sent."""
    addresses: dict[int, tuple[str, str]] = {}
    for start in range(0, len(contact_ids), CHUNK):
        addresses.update(
            (contact_id, (email, name))
            for contact_id, email, name in FacilityContact.objects.filter(
                id__in=contact_ids[start : start + CHUNK]
            ).values_list("id", "email", "facility__name")
        )
    return addresses


def _claim(pending: list[tuple[int, Key]], keys: dict[Key, DueReminder], run: ReminderRun, now: datetime):
    """Claim the contact's unsent rows (another run may hold some): their ids and reminders."""
    claimed: list[int] = []
    reminders: list[DueReminder] = []
    for delivery_id, key in pending:
        if claim(ReminderDelivery, delivery_id, now):
            claimed.append(delivery_id)
            reminders.append(keys[key])
        else:
            run.skipped += 1
    return claimed, reminders


def _mail_contact(
    contact_id: int,
    address: tuple[str, str],
    claimed: list[int],
    reminders: list[DueReminder],
    run: ReminderRun,
    *,
    connection: BaseEmailBackend,
    now: datetime,
) -> bool:
    """One mail with one link for the claimed reminders; False when the mail server is down or busy
    (the run stops, the rest stays queued). An address refused for good is marked bounced."""
    email, facility_name = address
    link = issue_link(Facility(pk=reminders[0].facility_id), email, now=now)
    items = [mail.DueItem(r.kind, r.due_date) for r in reminders]
    message = mail.reminder(
        facility_name, items, link_url(link), timezone.localdate(now), to=email, connection=connection
    )
    outcome = deliver(
        lambda: message, ReminderDelivery.objects.filter(pk__in=claimed), now, what=f"reminders {claimed}"
    )
    if outcome is not Delivery.SENT:
        revoke_link(link, now=now)
    if outcome is Delivery.REFUSED:
        # This address will never work: recorded on its rows, now on the contact; the run goes on.
        mark_bounced(
            FacilityContact(pk=contact_id, facility_id=reminders[0].facility_id, email=email), now=now
        )
        run.bounced += 1
    return run.counted(outcome, len(claimed))


def send_reminders(now: datetime | None = None, *, dry_run: bool = False) -> ReminderRun:
    """Send every due reminder not sent yet. Safe to run as often as wanted: each reminder is a
    unique row, claimed before sending; a failing mail server leaves it unsent for the next run.
    An address the server refuses for good is marked bounced and the run goes on with the others.
    A contact due two reminders (entry and acceptance status) gets one mail with one link."""
    now = now or timezone.now()
    run = ReminderRun()
    due = due_reminders(now)
    if not due:
        return run
    keys = {d.key: d for d in due}
    # Most of what is due was sent by an earlier run: read those, create only the new rows.
    existing = _recorded(sorted({d.contact_id for d in due}), keys)
    run.due = sum(1 for key in keys if not existing.get(key, (0, False))[1])
    if dry_run or not run.due:
        return run
    _record_new(keys, existing)
    by_contact: dict[int, list[tuple[int, Key]]] = {}
    for key, (pk, done) in sorted(existing.items(), key=lambda item: item[1][0]):
        if not done:
            by_contact.setdefault(key[0], []).append((pk, key))
    addresses = _addresses(sorted(by_contact))
    connection = get_connection()
    for contact_id in sorted(by_contact, key=lambda cid: by_contact[cid][0][0]):
        claimed, reminders = _claim(by_contact[contact_id], keys, run, now)
        if claimed and not _mail_contact(
            contact_id, addresses[contact_id], claimed, reminders, run, connection=connection, now=now
        ):
            break  # the server is down or busy: the rest stays queued for the next run
    return run


def entry_due_date(facility: Facility) -> date:
    """When the entry falls due: its region's period after the last confirmation (or the listing)."""
    policy = policy_for(facility.municipality.region)
    since = timezone.localdate(facility.verified_at or facility.created_at)
    return since + timedelta(days=policy.fresh_days)


def send_link_now(
    facility: Facility, contact: FacilityContact, user, *, now: datetime | None = None
) -> UpdateLink:
    """Staff's one-click 「リンクを再送」. When the mail cannot be sent the link is not kept
    (:class:`MailNotSent`); an address refused for good is marked bounced."""
    if not permissions.can_send_facility_update_link(user, facility):
        raise PermissionDenied("この施設にリンクを送る権限がありません。")
    if contact.facility_id != facility.pk:
        raise PermissionDenied("この施設の連絡先ではありません。")
    now = now or timezone.now()
    # No transaction around the mail (SQLite would hold its write lock while the server answers):
    # a link whose mail fails is revoked at once, so it never works.
    # A link whose mail failed was revoked the moment it was issued: it never reached anyone.
    resent = (
        UpdateLink.objects.filter(facility=facility, email=contact.email)
        .exclude(revoked_at=F("issued_at"))
        .exists()
        or contact.reminders.exclude(sent_at=None).exists()
    )
    link = issue_link(facility, contact.email, now=now)
    try:
        mail.update_link(
            facility.name,
            link_url(link),
            timezone.localdate(now),
            due_date=entry_due_date(facility),
            resent=resent,
            to=contact.email,
        ).send()
    except Exception as exc:
        revoke_link(link, now=now)
        logger.warning("update link for facility %s not sent: %s", facility.pk, type(exc).__name__)
        if is_permanent_refusal(exc):
            mark_bounced(contact, now=now)
            raise MailNotSent(
                f"{contact.email} はメールサーバーに受け取りを拒否されたため、不達として記録しました。"
                "送ろうとしたリンクは無効にしました。"
            ) from exc
        raise MailNotSent(
            f"{contact.email} にメールを送れませんでした（メールサーバーに接続できません）。"
            "送ろうとしたリンクは無効にしました。しばらくしてからもう一度お試しください。"
        ) from exc
    return link
