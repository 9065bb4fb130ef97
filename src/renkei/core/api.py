"""/api/v1/me/…: the caller's own account — for a script to check its token before it expires."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema

from renkei.core.api_auth import REQUIRED
from renkei.core.two_factor import second_factor_router

PREFIX = "/me"
router = second_factor_router(Router(tags=["アカウント"], auth=REQUIRED))


class ApiTokenOut(Schema):
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked: bool

    @staticmethod
    def resolve_revoked(token) -> bool:
        return token.revoked_at is not None


@router.get("/tokens", response=list[ApiTokenOut], summary="自分のAPIトークン一覧")
def my_tokens(request):
    """The caller's personal API tokens (never the token text). Sessions must have passed TOTP."""
    return list(request.user.api_tokens.order_by("-created_at"))
