"""``renkei transitions send-reminders``: one mail per person about their overdue items, each a unique
:class:`EpisodeReminder` row under the queue rules of :mod:`renkei.core.mail` (never sent twice; server
down or busy: the next run; 5xx: recorded, not tried again). The mail carries no personal data: how many
items, their kind and deadline, and a link to the dashboard."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from renkei.core import permissions
from renkei.core.mail import MailRun, claim_and_deliver
from renkei.core.models import User
from renkei.transitions.models import OPEN_STATUSES, Episode, EpisodeReminder, ReminderKind
from renkei.transitions.services.dashboard import KIND_LABELS


class ReminderRun(MailRun):
    """What one ``transitions send-reminders`` run did (:class:`renkei.core.mail.MailRun`)."""


def _due(today: date) -> list[tuple[int, str, date, int]]:
    """(episode, kind, due date, recipient) of every overdue item: the admission sheet to the care
    manager; the hospital's contact to the liaison named on the episode and to the care manager."""
    found = []
    open_episodes = Episode.objects.filter(status__in=OPEN_STATUSES)
    for pk, due, cm in open_episodes.filter(
        admission_info_sent_at=None, admission_info_due__lt=today, care_manager__isnull=False
    ).values_list("id", "admission_info_due", "care_manager_id"):
        found.append((pk, ReminderKind.ADMISSION_INFO.value, due, cm))
    for pk, contact_due, cm, liaison in open_episodes.filter(
        discharge_contacted_at=None, discharge_contact_due__lt=today
    ).values_list("id", "discharge_contact_due", "care_manager_id", "liaison_user_id"):
        for recipient in {cm, liaison} - {None}:
            if contact_due is not None and recipient is not None:
                found.append((pk, ReminderKind.DISCHARGE_CONTACT.value, contact_due, recipient))
    return found


def _record(due: list[tuple[int, str, date, int]]) -> None:
    EpisodeReminder.objects.bulk_create(
        [EpisodeReminder(episode_id=e, kind=k, due_date=d, recipient_id=r) for e, k, d, r in due],
        ignore_conflicts=True,  # rows of an earlier run (or of one running now) stay as they are
        batch_size=1000,
    )


def reminder_mail(user: User, reminders: list[EpisodeReminder], today: date, connection=None) -> EmailMessage:
    items = sorted(
        ({"what": KIND_LABELS[ReminderKind(r.kind)], "due_date": r.due_date} for r in reminders),
        key=lambda item: (item["due_date"], item["what"]),
    )
    context = {
        "items": items,
        "count": len(items),
        "url": settings.SITE_URL + reverse("transitions:dashboard"),
    }
    subject = "".join(render_to_string("transitions/mail/reminder_subject.txt", context).splitlines())
    body = render_to_string("transitions/mail/reminder_body.txt", context)
    return EmailMessage(subject, body, to=[user.email], connection=connection)


def _send(user: User, run: ReminderRun, now: datetime, connection) -> bool:
    # Someone who no longer sees the episode (left the team) is not told about it.
    return claim_and_deliver(
        run,
        EpisodeReminder.objects.filter(recipient_id=user.pk, sent_at=None, failed_at=None).select_related(
            "episode__patient__organization__municipality"
        ),
        now,
        sees=lambda r: permissions.can_view_episode(user, r.episode),
        message=lambda allowed: reminder_mail(user, allowed, timezone.localdate(now), connection),
        what="transition reminders",
    )


def send_reminders(now: datetime | None = None, *, dry_run: bool = False) -> ReminderRun:
    """Send every overdue reminder not sent yet. Safe to run as often as wanted."""
    now = now or timezone.now()
    run = ReminderRun()
    due = _due(timezone.localdate(now))
    done = set(
        EpisodeReminder.objects.filter(Q(sent_at__isnull=False) | Q(failed_at__isnull=False))
        .filter(episode_id__in={row[0] for row in due})
        .values_list("episode_id", "kind", "due_date", "recipient_id")
    )
    pending = [row for row in due if row not in done]
    run.due = len(pending)
    if dry_run or not pending:
        return run
    _record(pending)
    connection = get_connection()
    recipients = User.objects.filter(pk__in={row[3] for row in pending}, is_active=True).exclude(email="")
    for user in recipients.order_by("pk"):
        if not _send(user, run, now, connection):
            break  # the server is down or busy: the rest stays queued for the next run
    return run
