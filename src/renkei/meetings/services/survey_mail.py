"""``renkei meetings send-survey-reminders``: the request to answer a survey once it opens, and one
reminder :data:`REMIND_BEFORE` before it closes to whoever has not answered — both mails of one
:class:`SurveyRecipient` row, under the queue rules of :mod:`renkei.core.mail` (never sent twice, also
by two nodes at once). The mail names the survey and its deadline and links to it; no personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from renkei.core.mail import Delivery, claim, deliver
from renkei.meetings.models import Survey, SurveyRecipient

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
        # The row carries two mails: still to send while no run (this one or another) moved it on.
        if not claim(SurveyRecipient, row.pk, now, unsent=Q(invited_at=row.invited_at, reminded_at=None)):
            continue
        reminder = row.invited_at is not None
        outcome = deliver(
            partial(survey_mail, row, reminder, connection),
            SurveyRecipient.objects.filter(pk=row.pk),
            now,
            what=f"survey mail {row.pk}",
            # Released, and the error of an earlier try forgotten: the row's other mail is still to come.
            sent={"reminded_at" if reminder else "invited_at": now, "claimed_at": None, "last_error": ""},
        )
        if outcome is not Delivery.SENT:
            run.failed += 1
        elif reminder:
            run.reminded += 1
        else:
            run.invited += 1
        if outcome is Delivery.RETRY_LATER:
            break  # the server is down or busy: the rest stays for the next run
    return run
