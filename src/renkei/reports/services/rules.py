"""The errors and limits of the survey."""

from __future__ import annotations

from renkei.core.services import RuleError

MAX_TEXT = 4000  # characters per column: the longest seed cell has under 300


class ReportError(RuleError):
    """Input the survey's rules refuse; the message is Japanese, for people."""
