"""/fhir/: the directory as a read-only FHIR R4 server (Organization, Location, HealthcareService).

Public data, no login. Answers are ``application/fhir+json``; errors are FHIR ``OperationOutcome``
resources (what FHIR clients read), their ``diagnostics`` in Japanese and each issue's
``expression`` naming the parameter at fault — the FHIR counterpart of the API's one error body.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from fhir.resources.R4B.operationoutcome import OperationOutcome

from renkei.core.api_errors import NOT_FOUND
from renkei.core.services import RuleError
from renkei.outreach.services import fhir

CONTENT_TYPE = "application/fhir+json; charset=utf-8"


def _answer(body: dict[str, Any], status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _outcome(status: int, code: str, issues: list[tuple[str, str]]) -> HttpResponse:
    outcome = OperationOutcome.model_validate(
        {
            "resourceType": "OperationOutcome",
            "issue": [
                {
                    "severity": "error",
                    "code": code,
                    "diagnostics": message,
                    "expression": [where] if where else None,
                }
                for where, message in issues
            ],
        }
    )
    return _answer(outcome.model_dump(mode="json", exclude_none=True), status)


def _not_found() -> HttpResponse:
    return _outcome(404, "not-found", [("", NOT_FOUND[1])])


@require_GET
def search(request: HttpRequest, resource_type: str) -> HttpResponse:
    if resource_type not in fhir.RESOURCE_TYPES:
        return _not_found()
    try:
        query = fhir.parse_search(resource_type, request.GET.dict())
    except RuleError as exc:
        return _outcome(400, "invalid", [(error["field"], error["message"]) for error in exc.errors])
    return _answer(fhir.search_bundle(query, request.build_absolute_uri(request.path)))


@require_GET
def read(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    if resource_type not in fhir.RESOURCE_TYPES:
        return _not_found()
    try:
        return _answer(fhir.read(resource_type, resource_id))
    except Http404:
        return _not_found()


@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    return _answer(fhir.capability_statement(request.build_absolute_uri(request.path.rsplit("/", 1)[0])))
