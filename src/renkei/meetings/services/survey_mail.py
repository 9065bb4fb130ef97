"""``renkei meetings send-survey-reminders``: the request to answer a survey once it opens, and one
reminder :data:`REMIND_BEFORE` before it closes to whoever has not answered — with the freshness
reminders' rules: each mail is claimed on its :class:`SurveyRecipient` row before it goes out, so none
is sent twice (also by two nodes at once); one the mail server could not take (down, busy) is sent by
the next run; an address refused for good (5xx) is recorded and not tried again. The mail names the
survey and its deadline and links to it; it carries no personal data."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from renkei.core.mail import error_name, is_permanent_refusal
from renkei.meetings.models import Survey, SurveyRecipient

logger = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=15)
REMIND_BEFORE = timedelta(days=3)


@dataclass
class SurveyMailRun:
    due: int = 0
    invited: int = 0
    reminded: int = 0
    failed: int = 0


def _due(now: datetime, survey_id: int | None) -> list[SurveyRecipient]:
    today = timezone.localdate(now)
    rows = SurveyRecipient.objects.filter(
        failed_at=None,
        survey__status=Survey.Status.OPEN,
        survey__opens_on__lte=today,
        survey__closes_on__gte=today,
        user__is_active=True,
    ).exclude(user__email="")
    if survey_id is not None:
        rows = rows.filter(survey_id=survey_id)
    reminder_due = Q(
        invited_at__isnull=False,
        invited_at__lt=now - timedelta(days=1),
        reminded_at=None,
        survey__closes_on__lte=today + REMIND_BEFORE,
    )
    rows = rows.filter(Q(invited_at=None) | reminder_due).exclude(survey__responses__respondent=F("user"))
    return list(rows.select_related("survey", "user").order_by("pk"))


def _claim(row: SurveyRecipient, now: datetime) -> bool:
    return bool(
        SurveyRecipient.objects.filter(pk=row.pk, failed_at=None)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )


def survey_mail(row: SurveyRecipient, reminder: bool, connection=None) -> EmailMessage:
    context = {
        "title": row.survey.title,
        "closes_on": row.survey.closes_on,
        "reminder": reminder,
        "url": settings.SITE_URL + reverse("meetings:survey_answer", args=[row.survey_id]),
    }
    subject = "".join(render_to_string("meetings/mail/survey_subject.txt", context).splitlines())
    body = render_to_string("meetings/mail/survey_body.txt", context)
    return EmailMessage(subject, body, to=[row.user.email], connection=connection)


def send_survey_mails(
    now: datetime | None = None, *, dry_run: bool = False, survey_id: int | None = None
) -> SurveyMailRun:
    """Send every request and reminder due and not sent yet. Safe to run as often as wanted."""
    now = now or timezone.now()
    run = SurveyMailRun()
    due = _due(now, survey_id)
    run.due = len(due)
    if dry_run or not due:
        return run
    connection = get_connection()
    for row in due:
        if not _claim(row, now):
            continue
        reminder = row.invited_at is not None
        try:
            survey_mail(row, reminder, connection).send()
        except Exception as exc:
            error = error_name(exc)
            run.failed += 1
            logger.warning("survey mail %s not sent: %s", row.pk, error)
            permanent = is_permanent_refusal(exc)
            SurveyRecipient.objects.filter(pk=row.pk).update(
                claimed_at=None, last_error=error, failed_at=now if permanent else None
            )
            if not permanent:
                break  # the server is down or busy: the rest stays for the next run
            continue
        sent = {"reminded_at": now} if reminder else {"invited_at": now}
        SurveyRecipient.objects.filter(pk=row.pk).update(claimed_at=None, last_error="", **sent)
        if reminder:
            run.reminded += 1
        else:
            run.invited += 1
    return run
