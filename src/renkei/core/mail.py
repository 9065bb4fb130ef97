"""What every app's mail has in common: telling a mail server that is down or busy (try again
later) from one that refused an address for good (record it; it will never work)."""

from __future__ import annotations

import smtplib


def is_permanent_refusal(exc: Exception) -> bool:
    """True when the mail server refused the recipient for good (every address answered 5xx): that
    address will never work, unlike a server that is down or busy (4xx, connection errors)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        return all(500 <= code < 600 for code, _message in exc.recipients.values())
    return False


def error_name(exc: Exception) -> str:
    """What a failed send records: the kind of error, never its text (it may quote an address)."""
    return type(exc).__name__[:200]
