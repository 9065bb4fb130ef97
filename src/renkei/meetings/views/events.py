"""Pages of meetings and trainings; every rule is asked of services and core.permissions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.core import permissions
from renkei.core.forms import show_rule_errors
from renkei.core.http import NO_STORE, AuthenticatedHttpRequest
from renkei.core.models import User
from renkei.core.services import RuleError
from renkei.meetings.forms import (
    AttendeesForm,
    CountsForm,
    EventForm,
    InviteForm,
    MaterialForm,
    MinutesForm,
)
from renkei.meetings.models import Event, Material
from renkei.meetings.services import calendar, evaluation, events, lecturers

ICS = "text/calendar; charset=utf-8"


def _event_or_404(request: AuthenticatedHttpRequest, pk: int) -> Event:
    event = permissions.visible_events(request.user).filter(pk=pk).select_related("organizer").first()
    if event is None:
        raise Http404
    return event


def _managed_or_403(request: AuthenticatedHttpRequest, pk: int) -> Event:
    event = _event_or_404(request, pk)
    if not permissions.can_manage_event(request.user, event):
        raise PermissionDenied
    return event


@login_required
@require_GET
def event_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.can_use_meetings(user):
        raise PermissionDenied
    now = timezone.now()
    visible = permissions.visible_events(user).select_related("organizer", "municipality")
    organization = getattr(user, "organization", None)
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": visible.filter(ends_at__gte=now).order_by("starts_at", "pk")[:100],
            "past": visible.filter(ends_at__lt=now).order_by("-starts_at", "-pk")[:50],
            "to_evaluate": evaluation.events_to_evaluate(user)[:20],
            "can_plan": permissions.can_plan_events(user),
            "can_view_issues": permissions.can_view_issues(user),
            "feed_url": request.build_absolute_uri(
                reverse("meetings:feed", args=[calendar.feed_token(organization)])
            )
            if organization is not None
            else "",
        },
    )


def _save_event(request: AuthenticatedHttpRequest, form: EventForm, event: Event | None) -> Event | None:
    values = {name: form.cleaned_data[name] for name in events.EVENT_FIELDS}
    try:
        with transaction.atomic():
            if event is None:
                event = events.create_event(request.user, form.municipality(), **values)
            else:
                event = events.update_event(request.user, event, **values)
            lecturers.set_event_lecturers(request.user, event, list(form.cleaned_data["roster_lecturers"]))
            return event
    except RuleError as exc:
        show_rule_errors(form, exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_plan_events(request.user):
        raise PermissionDenied
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        event = _save_event(request, form, None)
        if event is not None:
            messages.success(request, f"「{event.title}」を登録しました。続けて組織を招待してください。")
            return redirect("meetings:detail", event.pk)
    return render(
        request, "meetings/event_form.html", {"form": form, "event": None}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed_or_403(request, pk)
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        if _save_event(request, form, event) is not None:
            messages.success(request, "会議・研修の内容を変更しました。")
            return redirect("meetings:detail", event.pk)
    return render(
        request,
        "meetings/event_form.html",
        {"form": form, "event": event},
        status=400 if form.errors else 200,
    )


def _detail_context(request: AuthenticatedHttpRequest, event: Event) -> dict:
    user = request.user
    manages = permissions.can_manage_event(user, event)
    context = {
        "event": event,
        "manages": manages,
        "registered": permissions.is_registered(user, event),
        "can_register": permissions.can_register(user, event),
        "show_url": permissions.can_see_online_url(user, event),
        "show_materials": permissions.can_view_materials(user, event),
        "can_evaluate": permissions.can_evaluate(user, event) and not evaluation.has_answered(user, event),
        "materials": event.materials.all(),
        "attendance": events.attendance_by_profession(event),
    }
    if manages:
        context.update(
            invitations=event.invitations.select_related("organization__municipality").order_by(
                "organization__municipality__code", "organization__name"
            ),
            registrations=event.registrations.select_related("user__organization").order_by("registered_at"),
            named=event.attendances.filter(user__isnull=False).select_related("user__organization"),
            invite_form=InviteForm(),
            attendees_form=AttendeesForm(event=event),
            counts_form=CountsForm(event=event),
            material_form=MaterialForm(),
            minutes_form=MinutesForm(initial={"minutes": event.minutes}),
        )
    return context


@login_required
@require_GET
def event_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    return render(request, "meetings/detail.html", _detail_context(request, event))


def _form_failed(request: AuthenticatedHttpRequest, event: Event, name: str, form) -> HttpResponse:
    context = _detail_context(request, event)
    context[name] = form
    return render(request, "meetings/detail.html", context, status=400)


@login_required
@require_POST
def invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed_or_403(request, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            count = events.invite(
                request.user, event, form.cleaned_data["kinds"], form.cleaned_data["whole_region"]
            )
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(request, f"{count}件の組織を新たに招待しました。")
            return redirect("meetings:detail", event.pk)
    return _form_failed(request, event, "invite_form", form)


@login_required
@require_POST
def register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    if request.POST.get("action") == "cancel":
        events.cancel_registration(request.user, event)
        messages.success(request, "参加登録を取り消しました。")
    else:
        events.register(request.user, event)
        messages.success(request, "参加登録しました。")
    return redirect("meetings:detail", event.pk)


@login_required
@require_POST
def attendees(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed_or_403(request, pk)
    if "remove" in request.POST:
        user = get_object_or_404(User, pk=request.POST.get("remove", ""))
        events.remove_named_attendance(request.user, event, user)
        messages.success(request, f"{user}さんの出席を取り消しました。")
        return redirect("meetings:detail", event.pk)
    form = AttendeesForm(request.POST, event=event)
    if form.is_valid():
        try:
            count = events.record_named_attendance(request.user, event, list(form.cleaned_data["users"]))
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(request, f"{count}人の出席を記録しました。")
            return redirect("meetings:detail", event.pk)
    return _form_failed(request, event, "attendees_form", form)


@login_required
@require_POST
def counts(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed_or_403(request, pk)
    form = CountsForm(request.POST, event=event)
    if form.is_valid():
        try:
            events.record_counts(request.user, event, form.counts())
        except RuleError as exc:
            show_rule_errors(form, exc)
        else:
            messages.success(request, "職種別の出席者数を記録しました。")
            return redirect("meetings:detail", event.pk)
    return _form_failed(request, event, "counts_form", form)


@login_required
@require_POST
def material_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed_or_403(request, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            events.add_material(request.user, event, form.cleaned_data["title"], form.cleaned_data["file"])
        except RuleError as exc:
            form.add_error("file" if not exc.field else exc.field, exc.message)
        else:
            messages.success(request, "資料を追加しました。")
            return redirect("meetings:detail", event.pk)
    return _form_failed(request, event, "material_form", form)


@login_required
@require_POST
def material_remove(request: AuthenticatedHttpRequest, pk: int, material_pk: int) -> HttpResponse:
    event = _managed_or_403(request, pk)
    events.remove_material(request.user, get_object_or_404(Material, pk=material_pk, event=event))
    messages.success(request, "資料を削除しました。")
    return redirect("meetings:detail", event.pk)


@login_required
@require_GET
def material_download(request: AuthenticatedHttpRequest, pk: int, material_pk: int):
    event = _event_or_404(request, pk)
    return events.material_download(request.user, get_object_or_404(Material, pk=material_pk, event=event))


@login_required
@require_POST
def minutes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed_or_403(request, pk)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        return _form_failed(request, event, "minutes_form", form)
    events.save_minutes(request.user, event, form.cleaned_data["minutes"])
    messages.success(request, "議事録を保存しました。")
    return redirect("meetings:detail", event.pk)


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ICS)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = NO_STORE
    return response


@login_required
@require_GET
def event_ics(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    site = request.build_absolute_uri("/").rstrip("/")
    return _ics(calendar.event_ics(request.user, event, site), f"meeting-{event.pk}.ics")


@require_GET
def organization_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A calendar program's subscription: no login; the signed address names the organisation."""
    organization = calendar.organization_of_token(token)
    if organization is None:
        raise Http404
    site = request.build_absolute_uri("/").rstrip("/")
    return _ics(calendar.organization_feed(organization, site), "meetings.ics")
