"""/api/v1/consultations/: the desk's records (list, create) and the statistics, for machines.

Same services and permissions as the pages; every record returned with its summary is logged.
Every response, errors included, carries ``Cache-Control: no-store`` (set once for the router).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import wraps
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from renkei.api import error_response
from renkei.consultations import services
from renkei.consultations.models import AgeBand, Channel, RequesterType, Response, Sex, Status
from renkei.core import permissions
from renkei.core.api_auth import REQUIRED
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, Municipality, User
from renkei.core.two_factor import require_verified_for_api

try:  # django-ninja ≥ 1.6 wants Status(...); older versions take a (status, body) tuple
    from ninja.responses import Status as Reply
except ImportError:  # pragma: no cover
    Reply = None

PREFIX = "/consultations"
router = Router(tags=["相談支援"], auth=REQUIRED)

NO_STORE = "no-store, private"


def _never_stored(run):
    """Wrap an operation's whole run (authentication, the handler, error responses) so that no
    browser or proxy keeps a copy of what the desk recorded."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        response = run(request, *args, **kwargs)
        response["Cache-Control"] = NO_STORE
        return response

    return wrapper


router.add_decorator(_never_stored, mode="view")


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
    subject_municipality_code: str | None = Field(None, pattern=r"^[0-9]{6}$")
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


class RowOut(Schema):
    label: str
    values: list[int]


class TableOut(Schema):
    key: str
    title: str
    label_heading: str
    columns: list[str]
    rows: list[RowOut]
    totals: list[int]
    note: str


class StatisticsOut(Schema):
    start: date
    end: date
    fiscal_year: int | None
    fiscal_year_label: str | None
    scope: str
    total: int
    follow_up_count: int
    tables: list[TableOut]


class StatisticsQuery(Schema):
    fiscal_year: int | None = Field(None, ge=2000, le=2100, description="年度（4月始まり、開始年）")
    start: date | None = None
    end: date | None = None
    desk_id: Id | None = None
    municipality_code: str | None = Field(None, pattern=r"^[0-9]{6}$")


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


@router.get("/", response=ConsultationPage, summary="相談記録の一覧（自窓口）")
def list_consultations(request, filters: Query[ListQuery]):
    """Cases of the caller's desk, due follow-ups first. Each returned record is written to the access log."""
    require_verified_for_api(request)
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
    count = rows.count()
    page = list(rows[filters.offset : filters.offset + filters.limit])
    for consultation in page:
        record_access(
            request, action=AccessLog.Action.VIEW, subject_type="consultation", subject_id=consultation.pk
        )
    return {
        "count": count,
        "offset": filters.offset,
        "limit": filters.limit,
        "items": [_out(c) for c in page],
    }


@router.post("/", response={201: ConsultationOut}, summary="相談を記録する")
def create_consultation(request, payload: ConsultationIn):
    require_verified_for_api(request)
    desk = _desk(request)
    region = services.region_of_desk(desk)
    details = []
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
    message = services.check_follow_up_date(payload.status, payload.next_action_on)
    if message:
        details.append(_detail("next_action_on", message))
    received_at = payload.received_at
    if received_at.year >= services.EARLIEST_DAY.year and timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    message = services.check_received_at(received_at)
    if message:
        details.append(_detail("received_at", message))
    if payload.next_action_on is not None:
        message = services.check_day(payload.next_action_on)
        if message:
            details.append(_detail("next_action_on", message))
    for name, multiline in [
        ("summary", True),
        ("requester_institution", False),
        ("referred_institution", False),
    ]:
        message = services.check_text(getattr(payload, name), multiline=multiline)
        if message:
            details.append(_detail(name, message))
    staff = None
    if payload.staff_id is not None:
        staff = services.desk_staff(desk).filter(pk=payload.staff_id).first()
        if staff is None:
            details.append(_detail("staff_id", "担当者はこの窓口の職員から選んでください。"))
    institutions = {}
    for prefix in ("requester", "referred"):
        try:
            institutions[prefix] = services.resolve_institution(
                region, getattr(payload, f"{prefix}_facility_id"), getattr(payload, f"{prefix}_institution")
            )
        except services.ConsultationError as exc:
            details.append(_detail(f"{prefix}_facility_id", str(exc)))
    patient = None
    try:
        patient = services.patient_to_link(request.user, payload.patient_id)
    except services.PatientLinkForbidden as exc:
        return error_response(request, 403, "permission_denied", str(exc))
    except services.ConsultationError as exc:
        details.append(_detail("patient_id", str(exc)))
    if details:
        return error_response(request, 400, "validation_error", "入力内容に誤りがあります。", details)
    consultation = services.record_consultation(
        desk=desk,
        created_by=request.user,
        received_at=received_at,
        channel=payload.channel,
        requester_type=payload.requester_type,
        response=payload.response,
        categories=categories,
        requester_facility=institutions["requester"][0],
        requester_institution=institutions["requester"][1],
        subject_age_band=payload.subject_age_band,
        subject_sex=payload.subject_sex,
        subject_municipality=municipality,
        summary=payload.summary,
        referred_facility=institutions["referred"][0],
        referred_institution=institutions["referred"][1],
        minutes_spent=payload.minutes_spent,
        status=payload.status,
        next_action_on=payload.next_action_on,
        staff=staff if staff is not None else (request.user if isinstance(request.user, User) else None),
        patient=patient,
    )
    record_access(
        request, action=AccessLog.Action.CREATE, subject_type="consultation", subject_id=consultation.pk
    )
    return Reply(201, _out(consultation)) if Reply is not None else (201, _out(consultation))


@router.get("/statistics", response=StatisticsOut, summary="相談の集計（件数のみ）")
def consultation_statistics(request, query: Query[StatisticsQuery]):
    """The same counts as the statistics page and the Excel report. Without a period: the current 年度.
    Scope: one desk, one municipality's desks, or every desk the caller may see."""
    allowed = permissions.consultation_statistics_desks(request.user).select_related("municipality")
    if not allowed.exists():
        raise PermissionDenied
    if query.fiscal_year is not None:
        period = services.Period.for_fiscal_year(query.fiscal_year)
        message = services.check_period(period.start, period.end)
        if message:
            return _bad_parameter(request, "fiscal_year", message)
    elif query.start and query.end:
        message = services.check_period(query.start, query.end)
        if message:
            field = "start" if services.check_day(query.start) else "end"
            return _bad_parameter(request, field, message)
        period = services.Period(query.start, query.end)
    elif query.start or query.end:
        return _bad_parameter(
            request,
            "end" if query.start else "start",
            "期間を指定するときは start と end の両方を指定してください。",
        )
    else:
        period = services.Period.for_fiscal_year(services.fiscal_year_of(timezone.localdate()))
    if query.desk_id is not None:
        desks = list(allowed.filter(pk=query.desk_id))
        if not desks:
            raise PermissionDenied
        label = desks[0].name
    elif query.municipality_code:
        municipality = (
            permissions.consultation_statistics_municipalities(request.user)
            .filter(code=query.municipality_code)
            .first()
        )
        if municipality is None:
            raise PermissionDenied
        desks, label = list(allowed.filter(municipality=municipality)), f"{municipality.name}の全窓口"
    else:
        desks = list(allowed)
        label = desks[0].name if len(desks) == 1 else "すべての窓口"
    result = services.compute_statistics(desks, period, label)
    return {
        "start": period.start,
        "end": period.end,
        "fiscal_year": period.fiscal_year,
        "fiscal_year_label": (
            services.fiscal_year_label(period.fiscal_year) if period.fiscal_year is not None else None
        ),
        "scope": result.scope_label,
        "total": result.total,
        "follow_up_count": result.follow_up_count,
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
