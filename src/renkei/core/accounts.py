"""A person's own account: their e-mail address and the limits on password-reset mail.

Services of the service contract (:mod:`renkei.core.services`): they take the acting user and refuse
with ``PermissionDenied`` or :class:`~renkei.core.services.RuleError`.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from renkei.core import permissions
from renkei.core.models import PasswordResetRequest, User
from renkei.core.services import RuleError


def set_own_email(actor: User, email: str) -> User:
    """Set the address that notifications and password-reset mail go to ("" removes it)."""
    if not permissions.can_edit_own_account(actor):
        raise PermissionDenied
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise RuleError("メールアドレスの形式が正しくありません。", "email") from None
    actor.email = User.objects.normalize_email(email)
    actor.save(update_fields=["email"])
    return actor


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().casefold().encode()).hexdigest()


def claim_password_reset(email: str, client_address: str | None) -> bool:
    """Whether a reset mail for ``email`` may be sent now; records the request either way.

    At most ``PASSWORD_RESET_PER_ADDRESS`` mails per address and ``PASSWORD_RESET_PER_CLIENT``
    requests per client address within ``PASSWORD_RESET_WINDOW_MINUTES``. Kept in the database, not a
    per-process cache, so that every server process counts the same requests. The page looks the same
    whether or not a mail is sent, so the limit tells nobody whether an address is registered.
    """
    now = timezone.now()
    since = now - timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)
    PasswordResetRequest.objects.filter(at__lt=now - timedelta(days=1)).delete()
    digest = _digest(email)
    recent = PasswordResetRequest.objects.filter(at__gte=since)
    allowed = recent.filter(email_digest=digest).count() < settings.PASSWORD_RESET_PER_ADDRESS and (
        client_address is None
        or recent.filter(client_address=client_address).count() < settings.PASSWORD_RESET_PER_CLIENT
    )
    PasswordResetRequest.objects.create(email_digest=digest, client_address=client_address)
    return allowed
