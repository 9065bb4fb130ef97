"""``renkei continuity send-acp-reminders``: when the review date of a patient's latest 人生会議 has
passed (Asia/Tokyo), one mail to each team member who sees the record — once per review date, each a
unique :class:`AcpReminder` row under the queue rules of :mod:`renkei.core.mail`. The mail carries no
personal data: the review dates and links to the ACP pages (ids only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from renkei.continuity.models import AcpRecord, AcpReminder
from renkei.core import permissions
from renkei.core.mail import MailRun, claim_and_deliver
from renkei.core.models import User

Due = tuple[int, date, int]  # ACP record, review date, recipient


@dataclass
class AcpReminderRun(MailRun):
    # (patient id, review date, recipients) of each reminder still to send: what a dry run prints.
    planned: list[tuple[int, date, int]] = field(default_factory=list)


def _overdue_latest(today: date) -> list[AcpRecord]:
    """Each patient's latest discussion (the one in force), where its review date has passed."""
    latest = AcpRecord.objects.filter(patient_id=OuterRef("patient_id")).order_by("-discussed_on", "-pk")
    return list(
        AcpRecord.objects.filter(pk=Subquery(latest.values("pk")[:1]), review_on__lt=today)
        .select_related("patient__organization__municipality")
        .order_by("review_on", "pk")
    )


def _due(records: list[AcpRecord]) -> list[Due]:
    """(record, review date, recipient) for every current member who sees the record."""
    found = []
    for record in records:
        for member in permissions.members_who_may_see(record.patient):
            if member.user.email:
                found.append((record.pk, record.review_on, member.user_id))
    return found


def _record(due: list[Due]) -> None:
    AcpReminder.objects.bulk_create(
        [AcpReminder(acp_record_id=a, review_on=d, recipient_id=r) for a, d, r in due],
        ignore_conflicts=True,  # rows of an earlier run (or of one running now) stay as they are
        batch_size=1000,
    )


def acp_reminder_mail(user: User, reminders: list[AcpReminder], connection=None) -> EmailMessage:
    items = sorted(
        (
            {
                "review_on": r.review_on,
                "url": settings.SITE_URL + reverse("continuity:acp", args=[r.acp_record.patient_id]),
            }
            for r in reminders
        ),
        key=lambda item: (item["review_on"], item["url"]),
    )
    context = {"items": items, "count": len(items)}
    subject = "".join(render_to_string("continuity/mail/acp_reminder_subject.txt", context).splitlines())
    body = render_to_string("continuity/mail/acp_reminder_body.txt", context)
    return EmailMessage(subject, body, to=[user.email], connection=connection)


def _send(user: User, record_ids: set[int], run: AcpReminderRun, now: datetime, connection) -> bool:
    # Someone who no longer sees the record (left the team, consent withdrawn) is not told about it.
    return claim_and_deliver(
        run,
        AcpReminder.objects.filter(
            recipient_id=user.pk, acp_record_id__in=record_ids, sent_at=None, failed_at=None
        ).select_related("acp_record__patient__organization__municipality"),
        now,
        sees=lambda r: permissions.patient_access(user, r.acp_record.patient).member_sees,
        message=lambda allowed: acp_reminder_mail(user, allowed, connection),
        what="ACP review reminders",
    )


def send_acp_reminders(now: datetime | None = None, *, dry_run: bool = False) -> AcpReminderRun:
    """Send every passed review date's reminder not sent yet. Safe to run as often as wanted."""
    now = now or timezone.now()
    run = AcpReminderRun()
    records = _overdue_latest(timezone.localdate(now))
    due = _due(records)
    done = set(
        AcpReminder.objects.filter(Q(sent_at__isnull=False) | Q(failed_at__isnull=False))
        .filter(acp_record_id__in={row[0] for row in due})
        .values_list("acp_record_id", "review_on", "recipient_id")
    )
    pending = [row for row in due if row not in done]
    run.due = len(pending)
    patient_of = {record.pk: record.patient_id for record in records}
    counts: dict[tuple[int, date], int] = {}
    for record_id, review_on, _recipient in pending:
        key = (patient_of[record_id], review_on)
        counts[key] = counts.get(key, 0) + 1
    run.planned = [(patient_id, review_on, n) for (patient_id, review_on), n in counts.items()]
    if dry_run or not pending:
        return run
    _record(pending)
    connection = get_connection()
    record_ids = {row[0] for row in pending}
    recipients = User.objects.filter(pk__in={row[2] for row in pending}, is_active=True).exclude(email="")
    for user in recipients.order_by("pk"):
        if not _send(user, record_ids, run, now, connection):
            break  # the server is down or busy: the rest stays queued for the next run
    return run
