"""Mail about the timeline: one per post for those who want it, a daily digest for the others (new
posts and new invitations), the invitation and the break-the-glass notice. Mail never names the patient nor quotes a post; each is
a subject and a body template under ``sharing/mail/``."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mass_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from renkei.core import permissions
from renkei.core.mail import CLAIM_TIMEOUT, error_name, is_permanent_refusal
from renkei.core.models import User
from renkei.sharing.models import CareTeamMembership, NotificationPreference, Post

logger = logging.getLogger(__name__)

Message = tuple[str, str, str, list[str]]


def site_url(url_name: str, *args: Any) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(url_name, args=args)


def mail(name: str, recipients: list[str], **context: Any) -> Message:
    """The mail ``sharing/mail/<name>_subject.txt`` + ``_body.txt`` as a ``send_mass_mail`` tuple."""
    subject = " ".join(render_to_string(f"sharing/mail/{name}_subject.txt", context).split())
    body = render_to_string(f"sharing/mail/{name}_body.txt", context).strip() + "\n"
    return subject, body, settings.DEFAULT_FROM_EMAIL, recipients


def preference(user: User) -> NotificationPreference:
    pref, _ = NotificationPreference.objects.get_or_create(user=user)
    return pref


def _recipients_of(post: Post) -> list[User]:
    members = [
        member.user
        for member in permissions.members_who_may_see(post.patient)
        if member.user_id != post.author_id and member.user.is_active
    ]
    quiet = set(
        NotificationPreference.objects.filter(user__in=members)
        .exclude(mode=NotificationPreference.Mode.IMMEDIATE)
        .values_list("user_id", flat=True)
    )
    return [user for user in members if user.pk not in quiet and user.email]


def notify_new_post(post: Post) -> int:
    """Mail members who want every post. The mail names no one and quotes nothing."""
    url = site_url("sharing:patient", post.patient_id)
    messages = [mail("new_post", [user.email], url=url) for user in _recipients_of(post)]
    return send_mass_mail(messages, fail_silently=True) if messages else 0


def digest_due(pref: NotificationPreference, now: datetime) -> bool:
    return timezone.localdate(pref.covered_until) < timezone.localdate(now)


@dataclass
class DigestRun:
    """What one run of the digest did: mails sent, mails that failed (refused for good included)."""

    sent: int = 0
    failed: int = 0
    refused: int = 0


def _claim(pref: NotificationPreference, now: datetime) -> bool:
    """Take this person's window (covered_until, now] for this run, unless another run holds it."""
    return bool(
        NotificationPreference.objects.filter(pk=pref.pk, covered_until=pref.covered_until)
        .filter(Q(digest_claimed_at=None) | Q(digest_claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(digest_claimed_at=now)
    )


def _new_posts(user: User, since: datetime, until: datetime) -> int:
    return (
        Post.objects.filter(
            patient__in=permissions.patients_visible_to(user).values("pk"),
            created_at__gt=since,
            created_at__lte=until,
        )
        .exclude(author=user)
        .count()
    )


def _new_invitations(user: User, since: datetime, until: datetime) -> int:
    return (
        CareTeamMembership.objects.filter(
            user=user, left_at=None, invitation_unseen=True, joined_at__gt=since, joined_at__lte=until
        )
        .exclude(invited_by=user)
        .count()
    )


def _send_digest(
    pref: NotificationPreference, now: datetime, run: DigestRun, connection: BaseEmailBackend
) -> bool:
    """Mail one claimed digest and record the outcome on the preference; False when the mail
    server is down or busy (the window stays open for the next run)."""
    claimed = NotificationPreference.objects.filter(pk=pref.pk, digest_claimed_at=now)
    count = _new_posts(pref.user, pref.covered_until, now)
    invitations = _new_invitations(pref.user, pref.covered_until, now)
    if (count or invitations) and pref.user.email:
        subject, body, sender, to = mail(
            "digest", [pref.user.email], count=count, invitations=invitations, url=site_url("sharing:home")
        )
        try:
            EmailMessage(subject, body, sender, to, connection=connection).send()
        except Exception as exc:
            error = error_name(exc)
            run.failed += 1
            if is_permanent_refusal(exc):
                logger.warning("digest %s refused for good: %s", pref.pk, error)
                claimed.update(
                    covered_until=now, digest_claimed_at=None, digest_failed_at=now, digest_error=error
                )
                run.refused += 1
                return True
            logger.warning("digest %s not sent: %s", pref.pk, error)
            claimed.update(digest_claimed_at=None, digest_error=error)
            return False
        run.sent += 1
    claimed.update(covered_until=now, digest_claimed_at=None, digest_error="")
    return True


def send_digests(now: datetime | None = None) -> DigestRun:
    """Send each digest subscriber one mail a day with the number of new posts. Safe to run again
    and again: each window is claimed with a conditional UPDATE and marked sent only once the mail
    went. A server that is down or busy stops the run and the next run sends the digest; an address
    refused for good is recorded and the run goes on with the others."""
    now = now or timezone.now()
    run = DigestRun()
    connection = get_connection()
    prefs = NotificationPreference.objects.filter(
        mode=NotificationPreference.Mode.DIGEST, user__is_active=True
    ).select_related("user")
    for pref in prefs.iterator():
        if not digest_due(pref, now) or not _claim(pref, now):
            continue
        if not _send_digest(pref, now, run, connection):
            break  # the server is down or busy: the rest waits for the next run
    return run
