"""/api/v1/consultations/: the desk's records (list, create) and the statistics, for machines.

Same services and permissions as the pages; every record returned with its summary is logged.
Every response, errors included, carries ``Cache-Control: no-store`` (set once for the router). The
records need the second factor (their router is declared so once); the statistics, counts only, a
password or a token.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Reply

from renkei.api import error_response
from renkei.consultations import services
from renkei.consultations.models import AgeBand, Channel, RequesterType, Response, Sex, Status
from renkei.core import permissions
from renkei.core.api_auth import REQUIRED
from renkei.core.fiscal import fiscal_year_label
from renkei.core.formats import MUNICIPALITY_CODE_PATTERN
from renkei.core.http import no_store
from renkei.core.models import Municipality, User
from renkei.core.two_factor import second_factor_router

PREFIX = "/consultations"
router = Router(tags=["相談支援"], auth=REQUIRED)
records = second_factor_router(Router())


router.add_decorator(no_store, mode="view")


class InstitutionOut(Schema):
    facility_id: int | None
    name: str


class ConsultationOut(Schema):
    id: int
    desk_id: int
    desk: str
    received_at: datetime
    channel: Channel
    requester_type: RequesterType
    requester_group: str
    requester_institution: InstitutionOut | None
    subject_age_band: AgeBand
    subject_sex: Sex
    subject_municipality_code: str | None
    categories: list[str]
    summary: str
    response: Response
    referred_institution: InstitutionOut | None
    minutes_spent: int | None
    status: Status
    next_action_on: date | None
    staff: str
    follow_up_count: int
    patient_linked: bool = Field(description="登録利用者に紐づいているか（氏名は返しません）")


class ConsultationPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[ConsultationOut]


Id = Annotated[int, Field(ge=1, le=services.MAX_ID)]
MAX_OFFSET = 10_000_000


class ListQuery(Schema):
    start: date | None = Field(None, description="受付日（から）")
    end: date | None = Field(None, description="受付日（まで）")
    status: Status | None = None
    category_id: Id | None = None
    institution: str = Field("", max_length=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    limit: int = Field(50, ge=1, le=200)


class ConsultationIn(Schema):
    received_at: datetime
    channel: Channel
    requester_type: RequesterType
    response: Response
    category_ids: list[Id] = Field(..., min_length=1, max_length=100)
    requester_facility_id: Id | None = None
    requester_institution: str = Field("", max_length=200)
    subject_age_band: AgeBand = AgeBand.UNKNOWN
    subject_sex: Sex = Sex.UNKNOWN
    subject_municipality_code: str | None = Field(None, pattern=MUNICIPALITY_CODE_PATTERN)
    summary: str = Field("", max_length=10000)
    referred_facility_id: Id | None = None
    referred_institution: str = Field("", max_length=200)
    minutes_spent: int | None = Field(None, ge=0, le=1440)
    status: Status = Status.CLOSED
    next_action_on: date | None = None
    staff_id: Id | None = None
    patient_id: Id | None = Field(
        None, description="登録利用者のID（ケアチームの一員として閲覧できる利用者だけ）"
    )


# A count, or 「5件未満」 for a caller who sees counts only (see the README: 件数の秘匿).
CountOut = int | str


class RowOut(Schema):
    label: str
    values: list[CountOut]


class TableOut(Schema):
    key: str
    title: str
    label_heading: str
    columns: list[str]
    rows: list[RowOut]
    totals: list[CountOut]
    note: str


class StatisticsOut(Schema):
    start: date
    end: date
    fiscal_year: int | None
    fiscal_year_label: str | None
    scope: str
    total: CountOut
    follow_up_count: CountOut
    small_counts_hidden: bool = Field(description="1〜4件を「5件未満」と表示しているとき true")
    tables: list[TableOut]


class StatisticsQuery(Schema):
    fiscal_year: int | None = Field(None, ge=2000, le=2100, description="年度（4月始まり、開始年）")
    start: date | None = None
    end: date | None = None
    desk_id: Id | None = None
    municipality_code: str | None = Field(None, pattern=MUNICIPALITY_CODE_PATTERN)


def _institution(facility, text: str) -> dict | None:
    if facility is not None:
        return {"facility_id": facility.pk, "name": facility.name}
    return {"facility_id": None, "name": text} if text else None


def _out(consultation) -> dict:
    return {
        "id": consultation.pk,
        "desk_id": consultation.desk_id,
        "desk": consultation.desk.name,
        "received_at": consultation.received_at,
        "channel": consultation.channel,
        "requester_type": consultation.requester_type,
        "requester_group": consultation.requester_group_label,
        "requester_institution": _institution(
            consultation.requester_facility, consultation.requester_institution
        ),
        "subject_age_band": consultation.subject_age_band,
        "subject_sex": consultation.subject_sex,
        "subject_municipality_code": (
            consultation.subject_municipality.code if consultation.subject_municipality_id else None
        ),
        "categories": [category.name for category in consultation.categories.all()],
        "summary": consultation.summary,
        "response": consultation.response,
        "referred_institution": _institution(
            consultation.referred_facility, consultation.referred_institution
        ),
        "minutes_spent": consultation.minutes_spent,
        "status": consultation.status,
        "next_action_on": consultation.next_action_on,
        "staff": consultation.staff_display,
        "follow_up_count": (
            consultation.follow_up_total
            if hasattr(consultation, "follow_up_total")
            else consultation.follow_ups.count()
        ),
        "patient_linked": consultation.patient_id is not None,
    }


def _bad_parameter(request, field: str, message: str):
    """400 for a query parameter, in the shape the global handler gives (code invalid_parameter)."""
    return error_response(
        request,
        400,
        "invalid_parameter",
        "パラメータに誤りがあります。",
        [{"field": field, "location": f"query.{field}", "message": message}],
    )


def _detail(field: str, message: str) -> dict:
    return {"field": field, "location": field, "message": message}


def _desk(request):
    desk = permissions.consultation_desk_of(request.user)
    if desk is None:
        raise PermissionDenied
    return desk


@records.get("/", response=ConsultationPage, summary="相談記録の一覧（自窓口）")
def list_consultations(request, filters: Query[ListQuery]):
    """Cases of the caller's desk, due follow-ups first. Each returned record is written to the access log."""
    desk = _desk(request)
    for name in ("start", "end"):
        day = getattr(filters, name)
        message = services.check_day(day) if day is not None else None
        if message:
            return _bad_parameter(request, name, message)
    if filters.start is not None and filters.end is not None and filters.start > filters.end:
        return _bad_parameter(request, "start", "期間の開始日が終了日より後になっています。")
    message = services.check_text(filters.institution)
    if message:
        return _bad_parameter(request, "institution", message)
    category = None
    if filters.category_id is not None:
        category = (
            services.categories_for(services.region_of_desk(desk)).filter(pk=filters.category_id).first()
        )
        if category is None:
            return _bad_parameter(request, "category_id", "指定された相談内容区分はありません。")
    rows = (
        services.consultation_list(
            [desk],
            services.ListFilter(
                start=filters.start,
                end=filters.end,
                status=filters.status or "",
                category=category,
                institution=filters.institution,
            ),
        )
        .select_related("referred_facility", "subject_municipality")
        .annotate(follow_up_total=Count("follow_ups"))
    )
    page = services.read_page(request.user, rows, filters.offset, filters.limit)
    return {
        "count": rows.count(),
        "offset": filters.offset,
        "limit": filters.limit,
        "items": [_out(c) for c in page],
    }


# The service names the fields as the model does; the API's body names them as below.
_API_FIELD = {
    "categories": "category_ids",
    "subject_municipality": "subject_municipality_code",
    "staff": "staff_id",
    "requester_facility": "requester_facility_id",
    "referred_facility": "referred_facility_id",
    "patient": "patient_id",
}


def _read_payload(desk, payload: ConsultationIn, details: list[dict]) -> dict:
    """The body's values for :func:`services.clean_consultation`, with what the API itself looks up."""
    region = services.region_of_desk(desk)
    categories = list(services.categories_for(region, active_only=True).filter(pk__in=payload.category_ids))
    if len(categories) != len(set(payload.category_ids)):
        details.append(_detail("category_ids", "使用中の相談内容区分のIDを指定してください。"))
    municipality = None
    if payload.subject_municipality_code:
        municipality = Municipality.objects.filter(
            code=payload.subject_municipality_code, region=region
        ).first()
        if municipality is None:
            details.append(_detail("subject_municipality_code", "圏域の市町村コードではありません。"))
    received_at = payload.received_at
    if received_at.year >= services.EARLIEST_DAY.year and timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    values = payload.model_dump(exclude={"category_ids", "subject_municipality_code"})
    for name in ("staff", "patient", "requester_facility", "referred_facility"):
        values[name] = values.pop(f"{name}_id")
    return values | {
        "received_at": received_at,
        "categories": categories,
        "subject_municipality": municipality,
    }


@records.post("/", response={201: ConsultationOut}, summary="相談を記録する")
def create_consultation(request, payload: ConsultationIn):
    desk = _desk(request)
    details: list[dict] = []
    values = _read_payload(desk, payload, details)
    if values["staff"] is None and isinstance(request.user, User):
        values["staff"] = request.user  # the caller answered the call unless told otherwise
    try:
        clean = services.clean_consultation(request.user, desk, values)
    except services.PatientLinkForbidden as exc:
        return error_response(request, 403, "permission_denied", exc.message)
    except services.ConsultationError as exc:
        details += [_detail(_API_FIELD.get(e["field"], e["field"]), e["message"]) for e in exc.errors]
    if details:
        return error_response(request, 400, "validation_error", "入力内容に誤りがあります。", details)
    consultation = services.record_consultation(request.user, desk, clean)
    return Reply(201, _out(consultation))


@router.get("/statistics", response=StatisticsOut, summary="相談の集計（件数のみ）")
def consultation_statistics(request, query: Query[StatisticsQuery]):
    """The same counts as the statistics page and the Excel report. Without a period: the current 年度.
    Scope: one desk, one municipality's desks, or every desk the caller may see."""
    scope = services.StatisticsScope.of(request.user)
    try:
        period = services.statistics_period(query.fiscal_year, query.start, query.end)
    except services.IncompletePeriod as exc:
        return _bad_parameter(
            request, exc.field, "期間を指定するときは start と end の両方を指定してください。"
        )
    except services.ConsultationError as exc:
        return _bad_parameter(request, exc.field, exc.message)
    municipality = None
    if query.municipality_code and query.desk_id is None:
        municipality = scope.municipalities.filter(code=query.municipality_code).first()
        if municipality is None:
            raise PermissionDenied
    desks, label = services.statistics_desks(scope, desk_id=query.desk_id, municipality=municipality)
    try:
        statistics_request = services.request_for(
            scope, desks, label, period, whole_municipalities=query.desk_id is None
        )
    except services.ConsultationError as exc:
        return _bad_parameter(request, exc.field, exc.message)
    result = services.statistics_of(statistics_request)
    return {
        "start": period.start,
        "end": period.end,
        "fiscal_year": period.fiscal_year,
        "fiscal_year_label": fiscal_year_label(period.fiscal_year)
        if period.fiscal_year is not None
        else None,
        "scope": result.scope_label,
        "total": result.total,
        "follow_up_count": result.follow_up_count,
        "small_counts_hidden": result.small_counts_hidden,
        "tables": [
            {
                "key": table.key,
                "title": table.title,
                "label_heading": table.label_heading,
                "columns": table.columns,
                "rows": [{"label": row.label, "values": row.values} for row in table.rows],
                "totals": table.totals,
                "note": table.note,
            }
            for table in result.tables
        ],
    }


router.add_router("", records)
