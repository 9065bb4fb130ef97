from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from renkei.core import permissions
from renkei.core.http import AuthenticatedHttpRequest
from renkei.core.public_cache import public_cache
from renkei.core.replica import public_read
from renkei.directory import annotators, services
from renkei.directory.accounts import facility_accounts
from renkei.directory.catalog import (
    CAPABILITIES,
    SERVICE_TYPES,
    AcceptanceStatus,
    Category,
    CategoryGroup,
    categories_in_group,
)
from renkei.directory.forms import FacilityForm
from renkei.directory.models import Facility


def _filter_options() -> dict:
    return {
        "groups": [
            {
                "value": group,
                "label": label,
                "categories": [(c, Category(c).label) for c in categories_in_group(group)],
            }
            for group, label in CategoryGroup.choices
        ],
        "municipality_options": services.search_municipalities(),
        "service_options": sorted(SERVICE_TYPES.values(), key=lambda service: service.code),
        "home_care_capabilities": [c for c in CAPABILITIES if c.kind == "home_care"],
        "procedure_capabilities": [c for c in CAPABILITIES if c.kind == "procedure"],
        "acceptance_options": AcceptanceStatus.choices,
        "radius_options": [1, 2, 5, 10, 20, 50],
        "sort_options": services.SORTS.items(),
    }


@public_cache
@public_read
def facility_search(request: HttpRequest) -> HttpResponse:
    errors: list[dict[str, str]] = []
    result = None
    try:
        query = services.parse_query(request.GET)
    except services.QueryError as exc:
        errors = exc.errors
        query = exc.query or services.FacilityQuery()
    else:
        result = services.search_facilities(query)
        annotators.annotate(result.facilities)
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("fragment", None)
    without_bbox = params.copy()
    without_bbox.pop("bbox", None)
    context = {
        "query": query,
        "result": result,
        "errors": errors,
        "params": params,
        "querystring": params.urlencode(),
        "without_bbox_url": reverse("directory:search")
        + ("?" + without_bbox.urlencode() if without_bbox else ""),
        "geojson_url": reverse("api:facilities_geojson") + ("?" + params.urlencode() if params else ""),
        "can_create": permissions.can_create_facility(request.user),
        **_filter_options(),
    }
    status = 400 if errors else 200
    if request.GET.get("fragment") == "results":
        return render(request, "directory/_results.html", context, status=status)
    return render(request, "directory/facility_search.html", context, status=status)


@public_cache
@public_read
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility = services.get_facility(pk)
    if facility is None:
        raise Http404
    annotators.annotate([facility])
    return render(
        request,
        "directory/facility_detail.html",
        {
            "facility": facility,
            "show_professional": permissions.can_view_professional_fields(request.user, facility),
            "can_edit": permissions.can_edit_facility(request.user, facility),
            "can_update_own": permissions.can_update_own_facility(request.user, facility),
            "facility_accounts": facility_accounts(facility)
            if permissions.can_edit_facility(request.user, facility)
            else None,
            "home_care_capabilities": [
                (c.label, getattr(facility, c.field)) for c in CAPABILITIES if c.kind == "home_care"
            ],
            "procedure_capabilities": [
                (c.label, getattr(facility, c.field)) for c in CAPABILITIES if c.kind == "procedure"
            ],
        },
    )


def _edit(request: AuthenticatedHttpRequest, facility: Facility | None, *, creating: bool) -> HttpResponse:
    form = FacilityForm(request.POST or None, instance=facility, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = services.save_facility(
            form.save(commit=False), service_codes=form.cleaned_data["services"], user=request.user
        )
        messages.success(request, f"「{saved.name}」を{'登録' if creating else '更新'}しました。")
        return redirect("directory:detail", pk=saved.pk)
    return render(
        request,
        "directory/facility_form.html",
        {"form": form, "facility": facility, "creating": creating},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def facility_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    facility = services.get_facility(pk)
    if facility is None:
        raise Http404
    if not permissions.can_edit_facility(request.user, facility):
        raise PermissionDenied
    return _edit(request, facility, creating=False)


@login_required
@require_http_methods(["GET", "POST"])
def facility_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_create_facility(request.user):
        raise PermissionDenied
    return _edit(request, None, creating=True)
