"""The residents' portal (public, no login): the region's municipalities, then per municipality where
to consult; on both, the explanatory pages published there. 「文字を大きく」 (``?size=large``) enlarges the text; links keep the choice."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from renkei.core.services import default_region
from renkei.outreach.services import care_path, pages, portal, scope


def _large(request: HttpRequest) -> bool:
    return request.GET.get("size") == "large"


@require_GET
def region_portal(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "outreach/portal_region.html",
        {
            "region": default_region(),
            "municipalities": scope.region_municipalities().order_by("code"),
            "topics": pages.topic_pages(default_region(), None),
            "events": portal.upcoming_events(None),
            "large": _large(request),
        },
    )


@require_GET
def municipality_portal(request: HttpRequest, code: str) -> HttpResponse:
    data = portal.municipality_portal(code)
    return render(
        request,
        "outreach/portal_municipality.html",
        {
            "portal": data,
            "municipality": data.municipality,
            "topics": pages.topic_pages(default_region(), data.municipality),
            "events": portal.upcoming_events(data.municipality),
            "care_path": care_path.published_care_path(data.municipality),
            "large": _large(request),
        },
    )
