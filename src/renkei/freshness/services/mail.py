"""Every mail freshness sends, from a subject and a body template under ``freshness/mail/``:
the reminder (the entry, its acceptance status, or both in one mail), the link staff send at once,
and the notice of a rejected change. Links in them are built with ``reverse`` and ``SITE_URL``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string

KIND_NAMES = {"entry": "掲載情報", "acceptance": "受入状況"}


@dataclass
class DueItem:
    """One thing a contact is asked to confirm: ``kind`` ("entry" or "acceptance") by ``due_date``."""

    kind: str
    due_date: date


def _message(
    name: str, context: dict[str, Any], *, to: str, connection: BaseEmailBackend | None = None
) -> EmailMessage:
    subject = render_to_string(f"freshness/mail/{name}_subject.txt", context)
    body = render_to_string(f"freshness/mail/{name}_body.txt", context)
    # A subject is one line, whatever the template's line breaks.
    return EmailMessage("".join(subject.splitlines()), body, to=[to], connection=connection)


def _confirmation_context(facility_name: str, items: list[DueItem], url: str, today: date) -> dict[str, Any]:
    from renkei.freshness.services.links import LINK_DAYS

    items = sorted(items, key=lambda item: item.kind != "entry")
    return {
        "facility_name": facility_name,
        "what": "・".join(dict.fromkeys(KIND_NAMES[item.kind] for item in items)),
        "items": [
            {"what": KIND_NAMES[item.kind], "due_date": item.due_date, "passed": item.due_date < today}
            for item in items
        ],
        "url": url,
        "link_days": LINK_DAYS,
    }


def reminder(
    facility_name: str,
    items: list[DueItem],
    url: str,
    today: date,
    *,
    to: str,
    connection: BaseEmailBackend | None = None,
) -> EmailMessage:
    """One mail (with one link) for everything due to one contact."""
    return _message(
        "reminder", _confirmation_context(facility_name, items, url, today), to=to, connection=connection
    )


def update_link(
    facility_name: str, url: str, today: date, *, due_date: date, resent: bool, to: str
) -> EmailMessage:
    """Staff's 「リンクを送る」: the entry with its real due date; 「（再送）」 only when this address
    has had a link or a reminder for the facility before."""
    context = _confirmation_context(facility_name, [DueItem("entry", due_date)], url, today)
    return _message("update_link", {**context, "resent": resent}, to=to)


def rejection(facility_name: str, reason: str, *, to: str) -> EmailMessage:
    return _message("rejection", {"facility_name": facility_name, "reason": reason}, to=to)
