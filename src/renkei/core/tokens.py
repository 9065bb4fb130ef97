"""Personal API tokens: ``rk_<prefix>_<secret>``; the database keeps the prefix and a SHA-256 hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from django.utils import timezone

from renkei.core.models import ApiToken, User


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(user: User, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the token text, which is never stored."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=_hash(secret), expires_at=expires_at
    )
    return token, f"rk_{prefix}_{secret}"


def user_for_token(text: str) -> User | None:
    """The active user a token belongs to, or None for an unknown, revoked or expired token."""
    try:
        marker, prefix, secret = text.split("_", 2)
    except ValueError:
        return None
    if marker != "rk":
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(secret)):
        return None
    now = timezone.now()
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke_all_tokens(user: User) -> int:
    """Revoke every active token of ``user`` (after a password change or a reset of the second
    factor: whoever had the old credentials must not keep API access). Returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def revoke_tokens_on_password_change(sender, instance: User, created: bool = False, **kwargs) -> None:
    """``post_save`` receiver for the user model. Django marks a password set through
    ``set_password()`` (the admin's password form, ``changepassword``, any future password page)
    until the save that stores it; a hash upgrade at login is not marked, and is not a change.
    A password made unusable (the admin's 「パスワードによる認証」 off) ends the tokens too."""
    if created:
        return
    if getattr(instance, "_password", None) is not None or not instance.has_usable_password():
        revoke_all_tokens(instance)


def revoke_tokens_on_device_removal(sender, instance, **kwargs) -> None:
    """``post_delete`` receiver for the second-factor devices: a confirmed device removed in the
    admin is a reset of the second factor, so the tokens issued under it end as with the reset
    page. (An unconfirmed device, an abandoned set-up, never verified anything.)"""
    user = getattr(instance, "user", None)
    if user is not None and instance.confirmed:
        revoke_all_tokens(user)


def revoke_token(user: User, token_id: int) -> ApiToken | None:
    """Revoke one of ``user``'s own active tokens; None when there is no such token."""
    token = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).first()
    if token is None:
        return None
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token
