"""What every app's mail has in common, and the one set of queue rules of the periodic mail commands
(``send-reminders``, ``transitions send-reminders``, ``continuity send-acp-reminders``, ``meetings
send-survey-reminders``). Each mail is a row (``claimed_at``, ``attempts``, ``failed_at``, ``last_error``)
taken with :func:`claim` — one conditional UPDATE, so two runs at once (every node may run the timers)
never both send it; a claim older than :data:`CLAIM_TIMEOUT` is of a run that died and is taken over —
and sent with :func:`deliver`: a server down or busy (4xx, connection error) releases the claim and stops
the run, the rest stays queued; an address refused for good (5xx) is recorded, never tried again. What is
due, what the mail says and who may still see it stay with each app."""

from __future__ import annotations

import enum
import logging
import smtplib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.core.mail import EmailMessage
from django.db.models import F, Model, Q, QuerySet

logger = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=15)
NO_ACCESS = "no_access"  # last_error of a row dropped because its recipient lost access

M = TypeVar("M", bound=Model)


class Delivery(enum.Enum):
    SENT = "sent"
    RETRY_LATER = "retry_later"  # the server is down or busy: the caller stops its run
    REFUSED = "refused"  # every address refused for good: recorded, the run goes on


@dataclass
class MailRun:
    """What one run did, in rows (one mail may carry several) and mails; ``skipped``: rows another
    run held, or whose recipient no longer sees them."""

    due: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    mails: int = 0

    def counted(self, outcome: Delivery, rows: int) -> bool:
        """Count one mail of ``rows`` rows; False when the run must stop (the server is down or busy)."""
        if outcome is Delivery.SENT:
            self.sent += rows
            self.mails += 1
        else:
            self.failed += rows
        return outcome is not Delivery.RETRY_LATER


def is_permanent_refusal(exc: Exception) -> bool:
    """True when the mail server refused the recipient for good (every address answered 5xx): that
    address will never work, unlike a server that is down or busy (4xx, connection errors)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        return all(500 <= code < 600 for code, _message in exc.recipients.values())
    return False


def error_name(exc: Exception) -> str:
    """What a failed send records: the kind of error, never its text (it may quote an address)."""
    return type(exc).__name__[:200]


def claim(model: type[Model], pk: int, now: datetime, *, unsent: Q | None = None) -> bool:
    """Take row ``pk`` for this run and count the attempt — only while its mail has not gone out
    (``unsent``; by default ``sent_at`` is empty), it was not refused for good, and no live claim of
    another run holds it."""
    return bool(
        model._default_manager.filter(Q(sent_at=None) if unsent is None else unsent, pk=pk, failed_at=None)
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )


def claim_all(rows: Iterable[M], now: datetime) -> list[M]:
    """Those of ``rows`` (each one mail, ``sent_at``) this run claimed; the others are another run's."""
    return [row for row in rows if claim(type(row), row.pk, now)]


def give_up(rows: QuerySet[Any], now: datetime, error: str) -> None:
    """Record claimed rows whose mail will never be sent: released, ``failed_at``, never tried again."""
    rows.update(claimed_at=None, failed_at=now, last_error=error)


def deliver(
    compose: Callable[[], EmailMessage],
    rows: QuerySet[Any],
    now: datetime,
    *,
    what: str,
    sent: Mapping[str, Any] | None = None,
) -> Delivery:
    """Send ``compose()``, the mail of the claimed ``rows``, and record the outcome on them; a mail
    that cannot even be composed fails like one the server did not take. Once sent the rows get
    ``sent`` (by default ``sent_at=now``; a row that carries more than one mail names its own column
    and releases its claim). ``what`` names the rows in the log: ids, never an address."""
    try:
        compose().send()
    except Exception as exc:
        error = error_name(exc)
        if is_permanent_refusal(exc):
            logger.warning("%s refused for good: %s", what, error)
            give_up(rows, now, error)
            return Delivery.REFUSED
        logger.warning("%s not sent: %s", what, error)
        rows.update(claimed_at=None, last_error=error)
        return Delivery.RETRY_LATER
    rows.update(**(sent or {"sent_at": now}))
    return Delivery.SENT


def claim_and_deliver(
    run: MailRun,
    unsent: QuerySet[M],
    now: datetime,
    *,
    sees: Callable[[M], bool],
    message: Callable[[list[M]], EmailMessage],
    what: str,
) -> bool:
    """Claim one person's ``unsent`` rows and send them in one mail, ``message(rows)`` — but for
    those whose subject they no longer ``sees``: given up (:data:`NO_ACCESS`, counted skipped), they
    are not told. False when the run must stop (the server is down or busy)."""
    claimed = claim_all(unsent, now)
    allowed = [row for row in claimed if sees(row)]
    rows = unsent.model._default_manager
    if dropped := [row.pk for row in claimed if row not in allowed]:
        give_up(rows.filter(pk__in=dropped), now, NO_ACCESS)
        run.skipped += len(dropped)
    if not allowed:
        return True
    ids = [row.pk for row in allowed]
    return run.counted(
        deliver(lambda: message(allowed), rows.filter(pk__in=ids), now, what=f"{what} {ids}"), len(ids)
    )
