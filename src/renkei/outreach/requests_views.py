"""出前講座 requests: the portal's form (public, no account) and the staff pages that answer them.

The form and every staff page carry the requester's personal data: never cached, and their POST
values are kept out of error reports (``sensitive_post_parameters``)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.core import permissions
from renkei.core.client_address import client_address
from renkei.core.forms import show_rule_errors
from renkei.core.http import AuthenticatedHttpRequest, personal_data_page
from renkei.core.services import RuleError
from renkei.outreach.models import LectureRequest, LectureTopic
from renkei.outreach.requests_forms import AcceptForm, DeclineForm, LectureRequestForm, TopicForm
from renkei.outreach.services import portal, requests


@personal_data_page
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def request_form(request: HttpRequest, code: str) -> HttpResponse:
    municipality = portal.municipality(code)
    large = request.GET.get("size") == "large"
    form = LectureRequestForm(request.POST or None, municipality=municipality)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            requests.check_not_spam(
                honeypot=form.cleaned_data["website"], stamp=form.cleaned_data["shown"],
                address=client_address(request),
            )  # fmt: skip
            requests.submit(municipality, form.details())
        except requests.Spam:
            pass  # answered like a request that went through: nothing tells a bot what gave it away
        except RuleError as exc:
            show_rule_errors(form, exc)
            status = exc.status
        if not form.errors:
            return redirect("portal:lecture_request_sent", code)
    elif form.errors:
        status = 400
    return render(
        request,
        "outreach/portal_lecture_request.html",
        {"form": form, "municipality": municipality, "large": large,
         "has_topics": requests.active_topics(municipality).exists(),
         # A fresh stamp on every showing, the form's first and each corrected one.
         "stamp": requests.form_stamp()},
        status=status,
    )  # fmt: skip


@require_GET
def request_sent(request: HttpRequest, code: str) -> HttpResponse:
    return render(
        request,
        "outreach/portal_lecture_request_sent.html",
        {"municipality": portal.municipality(code), "large": request.GET.get("size") == "large"},
    )


# --- staff ---


@login_required
@personal_data_page
@require_GET
def staff_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_use_portal_staff_pages(request.user):
        raise PermissionDenied
    status = request.GET.get("status", LectureRequest.Status.NEW)
    rows = requests.handled_requests(request.user)
    if status in LectureRequest.Status.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "outreach/staff_requests.html",
        {"rows": rows[:200], "status": status, "statuses": LectureRequest.Status.choices},
    )


@login_required
@personal_data_page
@require_http_methods(["GET", "POST"])
def staff_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    lecture = requests.read_request(request.user, pk)
    first = lecture.preferred_dates[0] if lecture.preferred_dates else None
    accept_form = AcceptForm(initial={"day": first, "start": "10:00", "end": "11:30"})
    decline_form = DeclineForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        form = AcceptForm(request.POST) if action == "accept" else DeclineForm(request.POST)
        if form.is_valid():
            try:
                _decide(request.user, lecture, action, form.cleaned_data)
            except RuleError as exc:
                show_rule_errors(form, exc)
            else:
                return redirect("outreach_staff:request", lecture.pk)
        status = 400
        if action == "accept":
            accept_form = form  # type: ignore[assignment]  # the bound AcceptForm of this branch
        else:
            decline_form = form  # type: ignore[assignment]  # the bound DeclineForm of this branch
    return render(
        request,
        "outreach/staff_request.html",
        {"lecture": lecture, "accept_form": accept_form, "decline_form": decline_form,
         "event_url": requests.event_url(lecture)},
        status=status,
    )  # fmt: skip


def _decide(user, lecture: LectureRequest, action: str | None, data: dict) -> None:
    if action == "accept":
        zone = timezone.get_current_timezone()
        requests.accept(
            user, lecture,
            starts_at=datetime.combine(data["day"], data["start"], tzinfo=zone),
            ends_at=datetime.combine(data["day"], data["end"], tzinfo=zone),
        )  # fmt: skip
    else:
        requests.decline(user, lecture, reason=data["reason"])


@login_required
@require_http_methods(["GET", "POST"])
def staff_topics(request: AuthenticatedHttpRequest) -> HttpResponse:
    municipalities = list(permissions.lecture_request_municipalities(request.user).order_by("code"))
    if not municipalities:
        raise PermissionDenied
    chosen = next((m for m in municipalities if m.code == request.GET.get("municipality")), municipalities[0])
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            requests.add_topic(
                request.user, chosen, form.cleaned_data["title"], form.cleaned_data["description"]
            )
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            return redirect(f"{request.path}?municipality={chosen.code}")
    topics = LectureTopic.objects.filter(municipality=chosen).order_by("-active", "title")
    return render(
        request,
        "outreach/staff_topics.html",
        {"form": form, "topics": topics, "chosen": chosen, "municipalities": municipalities},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def staff_topic_toggle(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(LectureTopic.objects.select_related("municipality"), pk=pk)
    requests.set_topic_active(request.user, topic, not topic.active)
    return redirect(reverse("outreach_staff:topics") + f"?municipality={topic.municipality.code}")
