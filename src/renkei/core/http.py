"""Request types for views behind ``login_required`` (or the second factor), where ``request.user``
is always a logged-in :class:`~renkei.core.models.User`, never ``AnonymousUser``."""

from __future__ import annotations

from django.http import HttpRequest

from renkei.core.models import User


class AuthenticatedHttpRequest(HttpRequest):
    # Narrowed: login_required lets only a logged-in user through.
    user: User
