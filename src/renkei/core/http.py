"""HTTP helpers every area shares: the request type of views behind ``login_required`` (or the second
factor), and the one way a response with personal data is kept out of every cache."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.cache import never_cache

from renkei.core.models import User

# What no browser, proxy or shared cache may keep: pages, API answers and files with personal data.
NO_STORE = "no-store, private"

View = Callable[..., HttpResponseBase]


class AuthenticatedHttpRequest(HttpRequest):
    # Narrowed: login_required lets only a logged-in user through.
    user: User


def no_store(view: View) -> View:
    """Mark every response of ``view`` — errors included — ``Cache-Control: no-store, private``.
    For an API router: ``router.add_decorator(no_store, mode="view")`` wraps each operation's whole
    run (authentication, the handler and its error answers)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = NO_STORE
        return response

    return wrapped


def personal_data_page(view: View) -> View:
    """A page that shows or changes personal data: never cached (Django's ``never_cache`` headers,
    ``Expires`` included) and ``no-store, private``."""
    return never_cache(no_store(view))
