"""Rules of the region core, called by pages, the API and the ``renkei`` commands alike.

The service contract — every app's ``services`` module (or package) follows it:

1. **A service takes the acting user** (``actor``, a ``User`` or ``AnonymousUser``), never the HTTP
   request. Pages, API handlers and commands are thin callers: they parse input, call one service and
   present its result. Where the request matters (the client's address in the access log), the
   middleware :class:`renkei.core.audit.AccessOriginMiddleware` records it for the duration of the
   request; a command runs with the origin ``command``.
2. **A service refuses** by raising Django's :class:`~django.core.exceptions.PermissionDenied` when the
   actor may not do it (decided by :mod:`renkei.core.permissions`; pages answer 403, the API
   ``permission_denied``), or :class:`RuleError` — a Japanese message for people and the ``field`` at
   fault — when the input breaks a rule (pages show it on the form, the API answers 400
   ``validation_error`` with ``details``). Never the built-in ``PermissionError`` (it becomes a 500).
3. **A service writes the access log itself** (:func:`renkei.core.audit.record_access`) when it reads or
   changes personal data, so a command that calls it logs exactly as the page does.
4. **Changes of several rows run in one transaction**; a refusal leaves nothing half-written.
5. **Every API error body** is built by :func:`renkei.core.api_errors.error_body`:
   ``{"error": {"code", "message", "details": [{"field", "message"}]}}``.
"""

from __future__ import annotations

from asgiref.local import Local
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import transaction

from renkei.core.formats import InvalidCode, prefecture_of, validate_municipality_code
from renkei.core.models import Municipality, Region
from renkei.core.seed import HACHINOHE_MUNICIPALITIES

# Municipalities whose names Renkei knows without being told: code → (county, name, kana).
KNOWN_MUNICIPALITIES: dict[str, tuple[str, str, str]] = {
    code: (county, name, kana) for code, county, name, kana in HACHINOHE_MUNICIPALITIES
}


class RuleError(ValueError):
    """Input the rules refuse. ``message`` is Japanese, for people; ``field`` names the input at fault
    ("" for the request as a whole). ``errors`` holds every problem found, each ``{"field", "message"}``,
    when a service reports several at once. ``code`` and ``status`` say how the API answers it."""

    code = "validation_error"
    status = 400

    def __init__(
        self,
        message: str,
        field: str = "",
        *,
        errors: list[dict[str, str]] | None = None,
        code: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors if errors is not None else [{"field": field, "message": message}]
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return self.message


class MunicipalityError(RuleError):
    """A municipality that cannot be added; the message is Japanese, for people."""


# One request asks for the default region several times (the header, the search's scope, the
# municipality filter); it is read once per request. Outside a request it is read every time.
_request = Local()


def _start_request_memo(**_kwargs: object) -> None:
    _request.memo = {}


def _end_request_memo(**_kwargs: object) -> None:
    _request.memo = None


request_started.connect(_start_request_memo, dispatch_uid="renkei.core.services.memo.start")
request_finished.connect(_end_request_memo, dispatch_uid="renkei.core.services.memo.end")


def default_region() -> Region | None:
    """The region this installation shows on its public pages."""
    memo: dict[str, Region | None] | None = getattr(_request, "memo", None)
    if memo is not None and "default_region" in memo:
        return memo["default_region"]
    region = (
        Region.objects.filter(slug=settings.RENKEI_DEFAULT_REGION).first()
        or Region.objects.order_by("pk").first()
    )
    if memo is not None:
        memo["default_region"] = region
    return region


def add_municipality(
    code: str,
    *,
    name: str = "",
    prefecture: str = "",
    kana: str = "",
    county: str = "",
    region: Region | None = None,
) -> Municipality:
    """Register a municipality by its 6-digit code, refusing wrong check digits and duplicates."""
    code = (code or "").strip()
    try:
        validate_municipality_code(code)
    except InvalidCode as exc:
        raise MunicipalityError(str(exc)) from None
    expected_prefecture = prefecture_of(code)
    if prefecture and prefecture.strip() != expected_prefecture:
        raise MunicipalityError(
            f"コード「{code}」は{expected_prefecture}のコードです（指定された都道府県: {prefecture.strip()}）。"
        )
    known = KNOWN_MUNICIPALITIES.get(code)
    name = name.strip()
    if not name:
        if known is None:
            raise MunicipalityError(
                f"コード「{code}」の市町村名がわかりません。市町村名（--name）を指定してください。"
            )
        county, name, kana = county or known[0], known[1], kana or known[2]
    with transaction.atomic():
        if Municipality.objects.select_for_update().filter(code=code).exists():
            raise MunicipalityError(f"コード「{code}」の市町村はすでに登録されています。")
        return Municipality.objects.create(
            code=code,
            name=name,
            kana=kana.strip(),
            county=county.strip(),
            prefecture=expected_prefecture,
            region=region,
        )
