"""The personal update links: a signed token naming one :class:`UpdateLink` row, valid for
:data:`LINK_DAYS`; revoking the row kills the link. Opening links is rate-limited per link (in the
database, shared by every worker) and per client address (in the cache).

The token is in the mailed URL, and so in one request line; the page exchanges it at once for a
short-lived signed cookie naming the same link (:func:`session_value`) and redirects to an address
without it, so the forms, their posts and the pages after them never carry the secret (nor leak it
in a Referer)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from renkei.core import rate_limits
from renkei.directory.models import Facility
from renkei.freshness.models import UpdateLink
from renkei.freshness.services.errors import LinkError, RateLimited

LINK_SALT = "renkei.directory.update-link"  # as when links were the directory's: sent links still work
# Another salt: the cookie's value is never accepted as a link token, nor a token as a cookie.
SESSION_SALT = "renkei.freshness.update-link-session"
SESSION_COOKIE = "renkei_update_link"
SESSION_SECONDS = 60 * 60
SESSION_EXPIRED_MESSAGE = "編集できる時間（1時間）が過ぎたか、リンクがまだ開かれていません。メールに記載されたリンクをもう一度開いてください。"
LINK_DAYS = 30
RATE_LIMIT = 30  # uses of one link, and requests from one address, per window
RATE_WINDOW_SECONDS = 600
RATE_MESSAGE = (
    "短い時間に何度も開かれたため、このリンクは一時的に使えません。10分ほどしてからもう一度開いてください。"
)
EXPIRED_MESSAGE = "このリンクは有効期限が切れています。市町村の担当窓口に新しいリンクを依頼してください。"


def link_token(link: UpdateLink) -> str:
    return signing.dumps(link.pk, salt=LINK_SALT, compress=False)


def link_url(link: UpdateLink) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("freshness:update", args=[link_token(link)])


def issue_link(facility: Facility, email: str, *, now: datetime | None = None) -> UpdateLink:
    now = now or timezone.now()
    return UpdateLink.objects.create(
        facility=facility, email=email, issued_at=now, expires_at=now + timedelta(days=LINK_DAYS)
    )


def revoke_link(link: UpdateLink, *, now: datetime | None = None) -> None:
    UpdateLink.objects.filter(pk=link.pk, revoked_at=None).update(revoked_at=now or timezone.now())


def active_links(facility: Facility, *, now: datetime | None = None) -> list[UpdateLink]:
    """The facility's links that still work (not revoked, not expired), newest first."""
    return list(
        UpdateLink.objects.filter(
            facility=facility, revoked_at=None, expires_at__gt=now or timezone.now()
        ).order_by("-issued_at", "-id")
    )


def check_address_rate(address: str | None) -> None:
    """Raise :class:`RateLimited` when one address opens links too often (tampered ones included)."""
    if address and rate_limits.hit(f"directory:link-ip:{address}", RATE_WINDOW_SECONDS) > RATE_LIMIT * 3:
        raise RateLimited(RATE_MESSAGE)


def count_use(link: UpdateLink, now: datetime | None = None) -> None:
    """Count one use of the link in the database (shared by every worker); raise
    :class:`RateLimited` past :data:`RATE_LIMIT` uses within the window."""
    now = now or timezone.now()
    window_start = now - timedelta(seconds=RATE_WINDOW_SECONDS)
    counted = UpdateLink.objects.filter(pk=link.pk, window_started_at__gte=window_start).update(
        window_uses=F("window_uses") + 1
    )
    if not counted:
        UpdateLink.objects.filter(pk=link.pk).update(window_started_at=now, window_uses=1)
        return
    if UpdateLink.objects.values_list("window_uses", flat=True).get(pk=link.pk) > RATE_LIMIT:
        raise RateLimited(RATE_MESSAGE)


def resolve_link(token: str, *, now: datetime | None = None) -> UpdateLink:
    """The link a token names, when it may be used now; else :class:`LinkError`."""
    now = now or timezone.now()
    try:
        pk = signing.loads(token, salt=LINK_SALT, max_age=timedelta(days=LINK_DAYS + 1))
    except signing.SignatureExpired as exc:
        raise LinkError(EXPIRED_MESSAGE) from exc
    except signing.BadSignature as exc:
        raise LinkError(
            "このリンクは正しくありません。メールに記載されたアドレスを省略せずに開いてください。"
        ) from exc
    return _usable(UpdateLink.objects.select_related("facility__municipality").filter(pk=pk).first(), now)


def _usable(link: UpdateLink | None, now: datetime | None = None) -> UpdateLink:
    if link is None or link.revoked_at is not None:
        raise LinkError("このリンクは無効になっています。市町村の担当窓口に新しいリンクを依頼してください。")
    if link.expires_at <= (now or timezone.now()):
        raise LinkError(EXPIRED_MESSAGE)
    return link


def open_link(token: str, *, address: str | None) -> UpdateLink:
    """A link opened from ``address`` (the client's, as the page sees it): counted against both rate
    limits, then resolved; :class:`RateLimited` or :class:`LinkError` when it may not be used.

    The address is an argument rather than the access log's origin: it is this rule's input (the
    only thing known of whoever opens a link), and the benchmark and tests pass it directly."""
    check_address_rate(address)
    link = resolve_link(token)
    count_use(link)
    return link


def session_value(link: UpdateLink) -> str:
    """The cookie that stands for the opened link (signed; its age is checked when read)."""
    return signing.dumps(link.pk, salt=SESSION_SALT, compress=False)


def open_session(value: str | None, *, now: datetime | None = None) -> UpdateLink:
    """The link a cookie from :func:`session_value` names, when it and its link may be used now;
    counted against the link's rate limit like the token; else :class:`LinkError`."""
    if not value:
        raise LinkError(SESSION_EXPIRED_MESSAGE)
    try:
        pk = signing.loads(value, salt=SESSION_SALT, max_age=SESSION_SECONDS)
    except signing.BadSignature as exc:  # expired ones included
        raise LinkError(SESSION_EXPIRED_MESSAGE) from exc
    link = _usable(UpdateLink.objects.select_related("facility__municipality").filter(pk=pk).first(), now)
    count_use(link)
    return link


def touch(link: UpdateLink, now: datetime) -> None:
    UpdateLink.objects.filter(pk=link.pk).update(last_used_at=now)
