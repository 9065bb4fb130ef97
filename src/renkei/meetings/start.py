"""The start page's panel: the next events one may attend and the evaluations waiting for an answer."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from renkei.core import permissions
from renkei.core.models import User
from renkei.meetings.services import evaluation, surveys


def panel(request: HttpRequest) -> dict | None:
    user = request.user
    if not isinstance(user, User) or not permissions.can_use_meetings(user):
        return None
    upcoming = list(
        permissions.visible_events(user).filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")[:5]
    )
    to_evaluate = list(evaluation.events_to_evaluate(user)[:5])
    to_answer = list(surveys.surveys_to_answer(user, timezone.localdate())[:5])
    if not upcoming and not to_evaluate and not to_answer:
        return None
    return {"upcoming": upcoming, "to_evaluate": to_evaluate, "to_answer": to_answer}
