"""The refusals of freshness; each message is Japanese, for the person who sees it."""

from __future__ import annotations

from renkei.core.services import RuleError


class LinkError(RuleError):
    """A link that cannot be used (tampered with, expired, revoked)."""

    code = "link_unusable"
    status = 403


class RateLimited(LinkError):
    """A link, or one address, used too often within the window."""

    code = "rate_limited"
    status = 429


class ReviewError(RuleError):
    """A change or a restore that cannot be published as it is."""


class MailNotSent(RuleError):
    """A mail staff asked for could not be sent."""

    code = "mail_not_sent"
    status = 503
