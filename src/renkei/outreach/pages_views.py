"""The portal's explanatory pages: residents read them (public), staff write them (login)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.core import permissions
from renkei.core.forms import show_rule_errors
from renkei.core.http import AuthenticatedHttpRequest
from renkei.core.models import Municipality, Region
from renkei.core.services import RuleError, default_region
from renkei.outreach.models import PortalImage, PortalPage, Topic
from renkei.outreach.pages_forms import ImageForm, PageForm
from renkei.outreach.services import pages, portal


def _large(request: HttpRequest) -> bool:
    return request.GET.get("size") == "large"


def _topic_page(request: HttpRequest, municipality: Municipality | None, topic: str) -> HttpResponse:
    page = pages.public_page(default_region(), municipality, topic)
    return render(
        request,
        "outreach/portal_topic.html",
        {
            "page": page,
            "body": pages.render_body(page.body),
            "municipality": municipality,
            "topics": pages.topic_pages(default_region(), municipality),
            "large": _large(request),
        },
    )


@require_GET
def region_topic(request: HttpRequest, topic: str) -> HttpResponse:
    return _topic_page(request, None, topic)


@require_GET
def municipality_topic(request: HttpRequest, code: str, topic: str) -> HttpResponse:
    return _topic_page(request, portal.municipality(code), topic)


@require_GET
def image(request: HttpRequest, pk: int) -> FileResponse:
    return pages.image_response(
        request.user, get_object_or_404(PortalImage.objects.select_related("page"), pk=pk)
    )


# --- staff ---


def _scope(scope: str) -> tuple[Region, Municipality | None]:
    region = default_region()
    if region is None:
        raise Http404
    if scope == "region":
        return region, None
    municipality = Municipality.objects.filter(region=region, code=scope).first()
    if municipality is None:
        raise Http404
    return region, municipality


@login_required
@require_GET
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_use_portal_staff_pages(request.user):
        raise PermissionDenied
    region, municipalities = permissions.portal_page_scopes(request.user)
    existing = {
        (page.municipality_id, page.topic): page
        for page in PortalPage.objects.filter(region=default_region()).select_related("municipality")
    }
    rows = []
    scopes: list[tuple[str, str, int | None]] = [("region", "圏域共通", None)] if region else []
    scopes += [(m.code, m.name, m.pk) for m in municipalities.order_by("code")]
    for scope, name, municipality_id in scopes:
        for value, label in Topic.choices:
            rows.append((scope, name, value, label, existing.get((municipality_id, value))))
    return render(request, "outreach/staff_pages.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: AuthenticatedHttpRequest, scope: str, topic: str) -> HttpResponse:
    region, municipality = _scope(scope)
    page = pages.page_for_editing(request.user, region, municipality, topic)
    label = Topic(topic).label
    form = PageForm(request.POST or None, instance=page, initial={"title": label})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pages.save_page(request.user, region, municipality, topic, **data)
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            return redirect(reverse("outreach_staff:page_edit", args=[scope, topic]) + "?saved=1")
    return render(
        request,
        "outreach/staff_page_edit.html",
        {
            "form": form, "page": page, "scope": scope, "topic": topic, "label": label,
            "place": municipality.name if municipality else "圏域共通", "municipality": municipality,
            "image_form": ImageForm(), "preview": pages.render_body(page.body) if page else "",
            "saved": "saved" in request.GET,
        },
        status=400 if form.errors else 200,
    )  # fmt: skip


@login_required
@require_POST
def staff_add_image(request: AuthenticatedHttpRequest, scope: str, topic: str) -> HttpResponse:
    region, municipality = _scope(scope)
    page = pages.page_for_editing(request.user, region, municipality, topic)
    if page is None:
        raise Http404
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            pages.add_image(request.user, page, data["image"], alt=data["alt"], caption=data["caption"])
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            return redirect("outreach_staff:page_edit", scope, topic)
    return render(
        request,
        "outreach/staff_page_edit.html",
        {
            "form": PageForm(instance=page), "page": page, "scope": scope, "topic": topic,
            "label": Topic(topic).label, "place": municipality.name if municipality else "圏域共通",
            "municipality": municipality, "image_form": form, "preview": pages.render_body(page.body),
        },
        status=400,
    )  # fmt: skip


@login_required
@require_POST
def staff_remove_image(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    picture = get_object_or_404(PortalImage.objects.select_related("page__municipality"), pk=pk)
    pages.remove_image(request.user, picture)
    page = picture.page
    return redirect(
        "outreach_staff:page_edit", page.municipality.code if page.municipality else "region", page.topic
    )
