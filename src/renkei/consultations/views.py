"""Pages of the consultation desk; every rule is asked of services and core.permissions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.consultations import services
from renkei.consultations.forms import (
    CategoryForm,
    ConsultationForm,
    FollowUpForm,
    ImportForm,
    ListFilterForm,
    StatisticsForm,
)
from renkei.consultations.models import Consultation, ConsultationCategory
from renkei.core import permissions
from renkei.core.fiscal import fiscal_year_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    """Render with what the sub-navigation needs to know about the user."""
    user = request.user
    base = {
        "desk": permissions.consultation_desk_of(user),
        "can_view_statistics": permissions.can_view_consultation_statistics(user),
        "can_manage_categories": permissions.can_manage_consultation_categories(user),
    }
    base.update(context)
    return render(request, template, base, status=status)


def _desk_or_403(request: HttpRequest):
    desk = permissions.consultation_desk_of(request.user)
    if desk is None:
        raise PermissionDenied
    return desk


@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_use_consultations(request.user):
        raise PermissionDenied
    desk = permissions.consultation_desk_of(request.user)
    context: dict = {}
    status = 200
    if desk is not None:
        form = ListFilterForm(request.GET or None, desk=desk)
        rows = services.consultation_list([desk], form.filters())
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            page=page,
            query=query.urlencode(),
            due_count=services.due_for_follow_up([desk]),
        )
        status = 400 if form.is_bound and form.errors else 200
    return _page(request, "consultations/list.html", context, status=status)


@require_GET
def records_csv(request: HttpRequest) -> HttpResponse:
    """The desk's records (with the list's filters) as CSV; every exported record is access-logged."""
    desk = _desk_or_403(request)
    form = ListFilterForm(request.GET or None, desk=desk)
    if form.is_bound and not form.is_valid():
        return consultation_list(request)
    filename = f"相談記録_{desk.name}_{timezone.localdate():%Y%m%d}.csv"
    return _download(services.export_records(request.user, desk, form.filters()), filename, CSV)


@require_http_methods(["GET", "POST"])
def consultation_create(request: HttpRequest) -> HttpResponse:
    desk = _desk_or_403(request)
    form = ConsultationForm(request.POST or None, desk=desk, user=request.user)
    if request.method == "POST" and form.is_valid():
        consultation = form.save(request.user)
        messages.success(request, f"相談 #{consultation.pk} を記録しました。")
        if "save_and_new" in request.POST:
            return redirect("consultations:create")
        return redirect("consultations:list")
    return _page(
        request,
        "consultations/form.html",
        {"form": form, "desk": desk},
        status=400 if form.errors else 200,
    )


def _detail(
    request: HttpRequest, consultation: Consultation, follow_up_form: FollowUpForm, status: int = 200
):
    patient = services.read_consultation(request.user, consultation)
    return _page(
        request,
        "consultations/detail.html",
        {
            "consultation": consultation,
            "follow_ups": consultation.follow_ups.select_related("staff"),
            "follow_up_form": follow_up_form,
            "can_add_follow_up": permissions.can_add_follow_up(request.user, consultation),
            "can_edit": permissions.can_edit_consultation(request.user, consultation),
            "patient": patient,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = services.find_consultation(request.user, pk, to_edit=True)
    services.read_consultation(request.user, consultation)  # the form shows the linked patient's name
    form = ConsultationForm(
        request.POST or None, desk=consultation.desk, user=request.user, instance=consultation
    )
    if request.method == "POST" and form.is_valid():
        form.save(request.user)
        messages.success(request, f"相談 #{consultation.pk} を修正しました。")
        return redirect("consultations:detail", pk=consultation.pk)
    return _page(
        request,
        "consultations/form.html",
        {"form": form, "consultation": consultation},
        status=400 if form.errors else 200,
    )


@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = services.find_consultation(request.user, pk)
    return _detail(request, consultation, FollowUpForm(consultation=consultation))


@require_POST
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = services.find_consultation(request.user, pk)
    if not permissions.can_add_follow_up(request.user, consultation):
        raise PermissionDenied
    form = FollowUpForm(request.POST, consultation=consultation)
    if not form.is_valid():
        return _detail(request, consultation, form, status=400)
    services.add_follow_up(request.user, consultation, **form.cleaned_data)
    messages.success(request, "継続対応を記録しました。")
    return redirect("consultations:detail", pk=consultation.pk)


def _statistics_for(request: HttpRequest) -> tuple[StatisticsForm, services.Statistics]:
    form = StatisticsForm(request.GET or None, scope=services.StatisticsScope.of(request.user))
    return form, services.statistics_of(form.statistics_request())


def _report_name(statistics: services.Statistics, extension: str) -> str:
    period = statistics.period
    when = (
        fiscal_year_label(period.fiscal_year)
        if period.fiscal_year is not None
        else f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    )
    return f"相談支援集計_{when}.{extension}"


def _statistics_page(request: HttpRequest, form: StatisticsForm, result: services.Statistics):
    charts = [(table, services.bar_chart(table)) for table in result.tables]
    return _page(
        request,
        "consultations/statistics.html",
        {
            "form": form,
            "statistics": result,
            "charts": charts,
            "query": request.GET.urlencode(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    form, result = _statistics_for(request)
    return _statistics_page(request, form, result)


@login_required
@require_GET
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    form, result = _statistics_for(request)
    if form.is_bound and form.errors:  # a report of another period than asked for would mislead
        return _statistics_page(request, form, result)
    return _download(services.statistics_workbook(result), _report_name(result, "xlsx"), XLSX)


@login_required
@require_GET
def statistics_csv(request: HttpRequest) -> HttpResponse:
    form, result = _statistics_for(request)
    if form.is_bound and form.errors:
        return _statistics_page(request, form, result)
    return _download(services.statistics_csv(result), _report_name(result, "csv"), CSV)


@require_http_methods(["GET", "POST"])
def import_records(request: HttpRequest) -> HttpResponse:
    if not permissions.can_import_consultations(request.user):
        raise PermissionDenied
    desk = _desk_or_403(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    result, rejected, status = None, False, 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.import_consultations(
                    request.user,
                    desk,
                    filename=upload.name,
                    data=upload.read(services.MAX_IMPORT_BYTES + 1),
                    valid_rows_only=form.cleaned_data["valid_rows_only"],
                )
            except services.ImportRejected as exc:
                result, rejected, status = exc.result, True, 400
            except services.ConsultationError as exc:
                form.add_error("file", str(exc))
                status = 400
            else:
                messages.success(request, services.import_summary(result))
                if not result.errors:
                    return redirect("consultations:list")
        else:
            status = 400
    return _page(
        request,
        "consultations/import.html",
        {
            "form": form,
            "desk": desk,
            "result": result,
            "rejected": rejected,
            "columns": services.IMPORT_COLUMNS,
        },
        status=status,
    )


@login_required
@require_GET
def import_template(request: HttpRequest, extension: str) -> HttpResponse:
    if not permissions.can_import_consultations(request.user):
        raise PermissionDenied
    if extension == "xlsx":
        return _download(services.import_template_workbook(), "相談記録_取込テンプレート.xlsx", XLSX)
    return _download(services.import_template_csv(), "相談記録_取込テンプレート.csv", CSV)


@login_required
@require_http_methods(["GET", "POST"])
def categories(request: HttpRequest) -> HttpResponse:
    region = permissions.home_region(request.user)
    if region is None or not permissions.can_manage_consultation_categories(request.user, region):
        raise PermissionDenied
    add_form = CategoryForm(request.POST if request.POST.get("action") == "add" else None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add":
                if add_form.is_valid():
                    category = services.add_category(request.user, region, add_form.cleaned_data["name"])
                    messages.success(request, f"区分「{category.name}」を追加しました。")
                    return redirect("consultations:categories")
                status = 400
            else:
                category = get_object_or_404(
                    ConsultationCategory, pk=request.POST.get("category"), region=region
                )
                if action == "rename":
                    old = category.name
                    services.rename_category(request.user, category, request.POST.get("name", ""))
                    messages.success(request, f"区分「{old}」を「{category.name}」に変更しました。")
                elif action in ("deactivate", "activate"):
                    services.set_category_active(request.user, category, action == "activate")
                    verb = (
                        "使用を再開しました"
                        if action == "activate"
                        else "使用を終了しました（過去の記録と集計には残ります）"
                    )
                    messages.success(request, f"区分「{category.name}」の{verb}。")
                elif action in ("up", "down"):
                    services.move_category(request.user, category, -1 if action == "up" else 1)
                else:
                    return render(request, "errors/400.html", status=400)
                return redirect("consultations:categories")
        except services.ConsultationError as exc:
            messages.error(request, str(exc))
            status = 400
        except (ValueError, TypeError):
            return render(request, "errors/400.html", status=400)
    return _page(
        request,
        "consultations/categories.html",
        {
            "region": region,
            "categories": services.categories_for(region).order_by("order", "id"),
            "add_form": add_form,
        },
        status=status,
    )


@login_required
@require_GET
def facility_search(request: HttpRequest) -> JsonResponse:
    """Directory entries for the institution fields (search as you type)."""
    if not permissions.can_record_consultations(request.user):
        raise PermissionDenied
    region = permissions.home_region(request.user)
    query = request.GET.get("q", "")[:100]
    return JsonResponse({"results": services.search_facilities(region, query)})
