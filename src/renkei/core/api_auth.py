"""Authentication for /api/v1/: the browser session (with CSRF) or a personal bearer token."""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from renkei.core.tokens import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
            # Issuing a token needs a session verified by TOTP, so a token counts as the second factor.
            request.auth_via_token = True
        return user


# Endpoints that need a logged-in user: ``auth=REQUIRED``.
REQUIRED = [TokenAuth(), SessionAuth()]
