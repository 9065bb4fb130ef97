from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from renkei.core import navigation, permissions, start
from renkei.core.forms import MunicipalityForm
from renkei.core.services import MunicipalityError, add_municipality, default_region


def home(request: HttpRequest) -> HttpResponse:
    region = default_region()
    municipalities = region.municipalities.all() if region else []
    return render(request, "core/home.html", {"region": region, "municipalities": municipalities})


@never_cache
@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """The start page after login: the panels that fit the person (see :mod:`renkei.core.start`)."""
    if permissions.is_emergency_services(request.user):
        # A 消防・警察 account has one page of its own: the first entry of its menu.
        return redirect(navigation.items_for(request.user)[0].url)
    if not permissions.can_view_staff_area(request.user):
        raise PermissionDenied
    region = permissions.home_region(request.user)
    if region is None:
        raise PermissionDenied
    return render(
        request,
        "core/staff_home.html",
        {
            "region": region,
            "panels": start.panels_for(request),
            "areas": [item for item in navigation.items_for(request.user) if item.url_name not in _NOT_AREAS],
        },
    )


# The links to each area leave out the start page itself and the public home page.
_NOT_AREAS = {"home", "staff:home"}


def region_panel(request: HttpRequest) -> dict | None:
    """The region's municipalities, for those who manage municipalities' records."""
    user = request.user
    if not (permissions.is_region_admin(user) or permissions.is_municipality_staff(user)):
        return None
    region = permissions.home_region(user)
    if region is None:
        return None
    municipalities = region.municipalities.annotate(organization_count=Count("organizations")).order_by(
        "code"
    )
    return {
        "region": region,
        "municipalities": municipalities,
        "can_add_municipality": permissions.can_add_municipality(user, region),
    }


@login_required
@require_http_methods(["GET", "POST"])
def municipality_add(request: HttpRequest) -> HttpResponse:
    region = permissions.home_region(request.user)
    if region is None or not permissions.can_add_municipality(request.user, region):
        raise PermissionDenied
    form = MunicipalityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            municipality = add_municipality(region=region, **form.cleaned_data)
        except MunicipalityError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(
                request, f"{municipality.name}（{municipality.code}）を{region.name}に追加しました。"
            )
            return redirect("staff:home")
    return render(
        request,
        "core/municipality_add.html",
        {"form": form, "region": region},
        status=400 if form.errors else 200,
    )
