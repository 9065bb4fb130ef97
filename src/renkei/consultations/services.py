"""Rules of the consultation desk: recording, follow-up, the list, statistics and their exports, import.

Pages, the API and commands call these functions; the statistics page, the Excel report, the CSV and
the API all take their numbers from :func:`compute_statistics`, so they cannot disagree.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, IntegerField, Min, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from renkei.consultations.models import (
    REQUESTER_GROUP,
    AgeBand,
    Channel,
    Consultation,
    ConsultationCategory,
    FollowUp,
    RequesterGroup,
    RequesterType,
    Response,
    Sex,
    Status,
)
from renkei.consultations.seed import ensure_default_categories
from renkei.core import permissions
from renkei.core.models import Municipality, Organization, Region, User
from renkei.core.spreadsheet import spreadsheet_text
from renkei.core.text import CONTROL_CHARACTERS, normalize
from renkei.sharing.models import Patient
from renkei.sharing.services import visible_patients


class ConsultationError(ValueError):
    """Input that cannot be recorded; the message is Japanese, for people."""


# --- fiscal years and 和暦 -------------------------------------------------------------------------

REIWA_OFFSET = 2018  # 令和元年 = 2019


def fiscal_year_of(day: date) -> int:
    """The 年度 (April–March) a day belongs to, named by the calendar year it starts in."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_range(fiscal_year: int) -> tuple[date, date]:
    return date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 31)


def reiwa_year(year: int) -> str:
    number = year - REIWA_OFFSET
    if number < 1:
        return f"平成{year - 1988}"
    return "令和元" if number == 1 else f"令和{number}"


def fiscal_year_label(fiscal_year: int) -> str:
    """``令和6年度`` for 2024."""
    return f"{reiwa_year(fiscal_year)}年度"


def month_label(month_key: int) -> str:
    year, month = divmod(month_key, 100)
    return f"{reiwa_year(year)}年{month}月"


# --- limits on what people type ------------------------------------------------------------------

EARLIEST_DAY = date(2000, 1, 1)  # the desks' records start in this century; older dates are typos
YEARS_AHEAD = 5  # a period may reach this many calendar years past today (a 年度 ends next March)
MAX_ID = 2**63 - 1  # the largest id either database holds; a larger number names nothing


def latest_day(today: date | None = None) -> date:
    """The last day a period may reach: 31 December, :data:`YEARS_AHEAD` years from now."""
    return date((today or timezone.localdate()).year + YEARS_AHEAD, 12, 31)


def check_day(day: date, today: date | None = None) -> str | None:
    """The Japanese message when a day given for a period or a filter is out of the sane range."""
    last = latest_day(today)
    if day < EARLIEST_DAY or day > last:
        return f"日付は2000年1月1日から{last.year}年12月31日までで指定してください。"
    return None


def check_period(start: date, end: date, today: date | None = None) -> str | None:
    """The one rule for a statistics period (page, Excel, CSV, API): both days in range, in order,
    at most five years."""
    message = check_day(start, today) or check_day(end, today)
    if message:
        return message
    if start > end:
        return "期間の開始日が終了日より後になっています。"
    if (end - start).days > 366 * 5:
        return "期間は5年以内で指定してください。"
    return None


def check_received_at(received_at: datetime, now: datetime | None = None) -> str | None:
    """The one rule for when a consultation was received (form, API, import): from 2000, not in the
    future (five minutes of clock drift allowed)."""
    if received_at.year < EARLIEST_DAY.year:
        return "受付日時は2000年以降の日時にしてください。"
    if received_at > (now or timezone.now()) + timedelta(minutes=5):
        return "未来の日時は入力できません。"
    return None


_LINE_BREAKS = re.compile(r"[\t\n\r]")


def check_text(text: str, *, multiline: bool = False) -> str | None:
    """The Japanese message when text holds control characters (NUL and the like, which the
    database refuses); tab and line breaks are allowed in multi-line text only."""
    if CONTROL_CHARACTERS.search(text) or (not multiline and _LINE_BREAKS.search(text)):
        if multiline:
            return "制御文字（NULなど）は使えません。"
        return "制御文字（NUL・タブ・改行など）は使えません。"
    return None


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    fiscal_year: int | None = None

    @classmethod
    def for_fiscal_year(cls, fiscal_year: int) -> Period:
        start, end = fiscal_year_range(fiscal_year)
        return cls(start, end, fiscal_year)

    @property
    def label(self) -> str:
        span = f"{self.start.year}年{self.start.month}月{self.start.day}日〜{self.end.year}年{self.end.month}月{self.end.day}日"
        if self.fiscal_year is not None:
            return f"{fiscal_year_label(self.fiscal_year)}（{span}）"
        return span

    def months(self) -> list[int]:
        keys, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            keys.append(year * 100 + month)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return keys

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start, end) in the local time zone."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )


# --- categories ------------------------------------------------------------------------------------


def categories_for(region: Region, *, active_only: bool = False) -> QuerySet[ConsultationCategory]:
    ensure_default_categories(ConsultationCategory, region)
    categories = ConsultationCategory.objects.filter(region=region)
    return categories.filter(is_active=True) if active_only else categories


def _clean_category_name(region: Region, name: str, exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ConsultationError("区分名を入力してください。")
    if len(name) > 100:
        raise ConsultationError("区分名は100文字以内で入力してください。")
    duplicates = ConsultationCategory.objects.filter(region=region, name=name).exclude(pk=exclude_pk)
    if duplicates.exists():
        raise ConsultationError(f"区分「{name}」はすでにあります。")
    return name


def add_category(region: Region, name: str) -> ConsultationCategory:
    name = _clean_category_name(region, name)
    last = categories_for(region).order_by("-order").values_list("order", flat=True).first() or 0
    return ConsultationCategory.objects.create(region=region, name=name, order=last + 10)


def rename_category(category: ConsultationCategory, name: str) -> ConsultationCategory:
    category.name = _clean_category_name(category.region, name, exclude_pk=category.pk)
    category.save(update_fields=["name"])
    return category


def set_category_active(category: ConsultationCategory, active: bool) -> ConsultationCategory:
    category.is_active = active
    category.save(update_fields=["is_active"])
    return category


def move_category(category: ConsultationCategory, direction: int) -> None:
    """Swap the category with its neighbour above (-1) or below (+1)."""
    siblings = list(categories_for(category.region).order_by("order", "id"))
    index = next(i for i, other in enumerate(siblings) if other.pk == category.pk)
    target = index + direction
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    with transaction.atomic():
        for position, other in enumerate(siblings):
            if other.order != (position + 1) * 10:
                other.order = (position + 1) * 10
                other.save(update_fields=["order"])


# --- institutions (directory links) ----------------------------------------------------------------


def region_facilities(region: Region):
    from renkei.directory.models import Facility

    return Facility.objects.filter(municipality__region=region)


def search_facilities(region: Region, query: str, limit: int = 20) -> list[dict]:
    """Facilities of the region matching the query (for the institution field): the directory's own
    search, so institutions are found exactly as on the directory pages."""
    from renkei.directory import services as directory

    if not normalize(query):
        return []
    result = directory.search_facilities(
        directory.FacilityQuery(q=query[:200], region=region.slug, page_size=limit)
    )
    return [
        {
            "id": facility.pk,
            "name": facility.name,
            "municipality": facility.municipality.name,
            "category": facility.get_category_display(),
        }
        for facility in result.facilities
    ]


def facility_by_exact_name(region: Region, name: str):
    """The one facility of the region whose name matches ``name`` after normalisation, if unique."""
    key = normalize(name)
    if not key:
        return None
    candidates = [
        facility
        for facility in region_facilities(region).filter(search_text__contains=key)[:50]
        if normalize(facility.name) == key or normalize(facility.short_name) == key
    ]
    return candidates[0] if len(candidates) == 1 else None


def resolve_institution(region: Region, facility_id: int | None, text: str) -> tuple[object | None, str]:
    """A directory facility when one is chosen (or the text names exactly one), else the text."""
    text = (text or "").strip()
    if facility_id:
        facility = region_facilities(region).filter(pk=facility_id).first()
        if facility is None:
            raise ConsultationError("選択された機関が資源一覧に見つかりません。")
        return facility, ""
    if not text:
        return None, ""
    facility = facility_by_exact_name(region, text)
    return (facility, "") if facility is not None else (None, text)


# --- recording -------------------------------------------------------------------------------------


def region_of_desk(desk: Organization) -> Region:
    return desk.municipality.region


def check_follow_up_date(status: str, next_action_on: date | None) -> str | None:
    """The Japanese message when a continuing case has no next date (it would drop out of follow-up)."""
    if status == Status.CONTINUING and next_action_on is None:
        return "継続の場合は次回対応予定日を入力してください。"
    return None


def desk_staff(desk: Organization) -> QuerySet[User]:
    return User.objects.filter(organization=desk, is_active=True).order_by("full_name_kana", "username")


def _fill(
    consultation: Consultation,
    *,
    received_at: datetime,
    channel: str,
    requester_type: str,
    response: str,
    categories: list[ConsultationCategory] = (),
    requester_facility=None,
    requester_institution: str = "",
    subject_age_band: str = AgeBand.UNKNOWN,
    subject_sex: str = Sex.UNKNOWN,
    subject_municipality: Municipality | None = None,
    summary: str = "",
    referred_facility=None,
    referred_institution: str = "",
    minutes_spent: int | None = None,
    status: str = Status.CLOSED,
    next_action_on: date | None = None,
    staff: User | None = None,
    staff_name: str = "",
    patient=None,
) -> list[ConsultationCategory]:
    region = region_of_desk(consultation.desk)
    if any(category.region_id != region.pk for category in categories):
        raise ConsultationError("この圏域の相談内容区分を選んでください。")
    if staff is not None and staff.organization_id != consultation.desk_id:
        raise ConsultationError("担当者はこの窓口の職員から選んでください。")
    consultation.received_at = received_at
    consultation.channel = channel
    consultation.requester_type = requester_type
    consultation.requester_facility = requester_facility
    consultation.requester_institution = requester_institution if requester_facility is None else ""
    consultation.subject_age_band = subject_age_band or AgeBand.UNKNOWN
    consultation.subject_sex = subject_sex or Sex.UNKNOWN
    consultation.subject_municipality = subject_municipality
    consultation.summary = summary.strip()
    consultation.response = response
    consultation.referred_facility = referred_facility
    consultation.referred_institution = referred_institution if referred_facility is None else ""
    consultation.minutes_spent = minutes_spent
    consultation.status = status
    consultation.next_action_on = None if status == Status.CLOSED else next_action_on
    consultation.staff = staff
    consultation.staff_name = "" if staff is not None else staff_name.strip()
    consultation.patient = patient
    return list(categories)


# --- the link to a registered patient ---------------------------------------------------------


class PatientLinkForbidden(ConsultationError):
    """The patient exists but the person may not see (and so may not link) them."""


def linkable_patients(user: User) -> QuerySet[Patient]:
    """The patients a desk worker may choose: those whose record they see on a care team."""
    return visible_patients(user)


def patient_to_link(user: User, patient_id: int | None, current_id: int | None = None) -> Patient | None:
    """The registered patient a case is to be linked to, checked again on every save. A link
    already on the case may be kept by a colleague who cannot see that patient (they correct other
    fields); a new link needs the right to see the patient now."""
    if patient_id is None:
        return None
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None:
        raise ConsultationError("指定された利用者は登録されていません。")
    if patient.pk != current_id and not permissions.can_view_patient(user, patient):
        raise PatientLinkForbidden(
            "この利用者は紐づけられません。ケアチームの一員として記録を閲覧できる利用者だけを選べます。"
        )
    return patient


@transaction.atomic
def record_consultation(*, desk: Organization, created_by: User | None, **fields) -> Consultation:
    """Record a new case for ``desk`` (fields as in :class:`Consultation`, categories as a list)."""
    consultation = Consultation(desk=desk, created_by=created_by)
    categories = _fill(consultation, **fields)
    consultation.save()
    consultation.categories.set(categories)
    return consultation


@transaction.atomic
def update_consultation(consultation: Consultation, **fields) -> Consultation:
    """Correct a recorded case; its statistics change with it."""
    categories = _fill(consultation, **fields)
    consultation.save()
    consultation.categories.set(categories)
    return consultation


@transaction.atomic
def add_follow_up(
    consultation: Consultation,
    *,
    staff: User | None,
    occurred_at: datetime,
    channel: str,
    response: str,
    status: str,
    summary: str = "",
    minutes_spent: int | None = None,
    next_action_on: date | None = None,
) -> FollowUp:
    """Attach a follow-up to the case; the case takes the follow-up's status and next date."""
    if status == Status.CLOSED:
        next_action_on = None
    entry = FollowUp.objects.create(
        consultation=consultation,
        occurred_at=occurred_at,
        channel=channel,
        response=response,
        summary=summary.strip(),
        minutes_spent=minutes_spent,
        status=status,
        next_action_on=next_action_on,
        staff=staff,
    )
    Consultation.objects.filter(pk=consultation.pk).update(
        status=status, next_action_on=next_action_on, updated_at=timezone.now()
    )
    consultation.refresh_from_db(fields=["status", "next_action_on", "updated_at"])
    return entry


# --- the list --------------------------------------------------------------------------------------


@dataclass
class ListFilter:
    start: date | None = None
    end: date | None = None
    status: str = ""
    category: ConsultationCategory | None = None
    institution: str = ""
    staff: User | None = None


def consultation_list(desks: QuerySet[Organization] | list, filters: ListFilter, today: date | None = None):
    """The desk's cases, those due for follow-up first (overdue or due today, earliest date first),
    then the other continuing cases by next date, then the rest, newest first."""
    today = today or timezone.localdate()
    rows = Consultation.objects.filter(desk__in=desks)
    if filters.start:
        rows = rows.filter(received_on__gte=filters.start)
    if filters.end:
        rows = rows.filter(received_on__lte=filters.end)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.category is not None:
        rows = rows.filter(categories=filters.category)
    if filters.institution:
        key = normalize(filters.institution)
        rows = rows.filter(
            Q(requester_facility__search_text__contains=key)
            | Q(requester_institution_key__contains=key)
            | Q(referred_facility__search_text__contains=key)
            | Q(referred_institution_key__contains=key)
        )
    if filters.staff is not None:
        rows = rows.filter(staff=filters.staff)
    return (
        rows.annotate(
            follow_up_priority=Case(
                When(status=Status.CONTINUING, next_action_on__lte=today, then=Value(0)),
                When(status=Status.CONTINUING, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .select_related("desk", "requester_facility", "staff")
        .prefetch_related("categories")
        .order_by("follow_up_priority", F("next_action_on").asc(nulls_last=True), "-received_at", "-id")
    )


# --- statistics ------------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    values: list[int]


@dataclass
class Table:
    key: str
    title: str
    label_heading: str
    columns: list[str]
    rows: list[Row]
    note: str = ""

    @property
    def totals(self) -> list[int]:
        return [sum(row.values[i] for row in self.rows) for i in range(len(self.columns))]

    @property
    def chart_column(self) -> int:
        """The column the bar chart draws (the last: 合計 or 件数)."""
        return len(self.columns) - 1


@dataclass
class Statistics:
    period: Period
    scope_label: str
    total: int
    follow_up_count: int
    tables: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)

    @property
    def continuing(self) -> int:
        return self.table("status").rows[0].values[0]


TOP_INSTITUTIONS = 20


def _institution_table(
    rows: QuerySet, facility_field: str, key_field: str, text_field: str, **labels
) -> Table:
    """Cases per institution: a directory facility counts as one, free text groups by its normalised form."""
    from renkei.directory.models import Facility

    grouped = list(
        rows.exclude(**{f"{facility_field}__isnull": True, key_field: ""})
        .values_list(f"{facility_field}_id", key_field)
        .annotate(n=Count("id"), text=Min(text_field))
        .order_by()
    )
    facility_names = dict(
        Facility.objects.filter(pk__in={pk for pk, _, _, _ in grouped if pk is not None}).values_list(
            "pk", "name"
        )
    )
    counts: list[tuple[str, int]] = [
        (facility_names.get(pk, "") if pk is not None else text, n) for pk, _key, n, text in grouped
    ]
    counts.sort(key=lambda pair: (-pair[1], pair[0]))
    table_rows = [Row(name, [count]) for name, count in counts[:TOP_INSTITUTIONS]]
    rest = counts[TOP_INSTITUTIONS:]
    if rest:
        table_rows.append(Row(f"その他（{len(rest)}機関）", [sum(count for _, count in rest)]))
    return Table(columns=["件数"], rows=table_rows, label_heading="機関名", **labels)


def compute_statistics(desks: QuerySet[Organization] | list, period: Period, scope_label: str) -> Statistics:
    """Counts of the cases received in ``period`` by ``desks``: the one source of every report."""
    desk_ids = [desk.pk if isinstance(desk, Organization) else desk for desk in desks]
    rows = Consultation.objects.filter(desk_id__in=desk_ids, received_on__range=(period.start, period.end))

    # One grouped scan gives month, requester type, channel, response and status together.
    by_month: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_type: dict[str, int] = defaultdict(int)
    by_channel: dict[str, int] = defaultdict(int)
    by_response: dict[str, int] = defaultdict(int)
    by_status: dict[str, int] = defaultdict(int)
    cube = rows.values_list("received_month", "requester_type", "channel", "response", "status").annotate(
        n=Count("id")
    )
    for month, requester_type, channel, response, status, n in cube.order_by():
        by_month[month][REQUESTER_GROUP[requester_type]] += n
        by_type[requester_type] += n
        by_channel[channel] += n
        by_response[response] += n
        by_status[status] += n
    total = sum(by_type.values())

    tables = [
        Table(
            key="month",
            title="月別相談件数（一般住民・支援機関）",
            label_heading="月",
            columns=[
                str(RequesterGroup.RESIDENT.label),
                str(RequesterGroup.SUPPORT_ORGANIZATION.label),
                "合計",
            ],
            rows=[
                Row(
                    month_label(month),
                    [
                        by_month[month][RequesterGroup.RESIDENT],
                        by_month[month][RequesterGroup.SUPPORT_ORGANIZATION],
                        by_month[month][RequesterGroup.RESIDENT]
                        + by_month[month][RequesterGroup.SUPPORT_ORGANIZATION],
                    ],
                )
                for month in period.months()
            ],
        ),
        Table(
            key="requester_type",
            title="相談者別件数",
            label_heading="相談者",
            columns=["件数"],
            rows=[
                Row(f"{choice.label}（{RequesterGroup(REQUESTER_GROUP[choice]).label}）", [by_type[choice]])
                for choice in RequesterType
            ],
        ),
    ]

    # Categories: several per case, so their sum may exceed the number of cases.
    through = Consultation.categories.through
    category_counts = dict(
        through.objects.filter(
            consultation__desk_id__in=desk_ids,
            consultation__received_on__range=(period.start, period.end),
        )
        .values_list("consultationcategory_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    region_ids = set(
        Organization.objects.filter(pk__in=desk_ids).values_list("municipality__region_id", flat=True)
    )
    categories = ConsultationCategory.objects.filter(
        Q(region_id__in=region_ids, is_active=True) | Q(pk__in=category_counts.keys())
    ).order_by("region_id", "order", "id")
    tables.append(
        Table(
            key="category",
            title="相談内容別件数",
            label_heading="相談内容",
            columns=["件数"],
            rows=[
                Row(
                    category.name if category.is_active else f"{category.name}（使用終了）",
                    [category_counts.get(category.pk, 0)],
                )
                for category in categories
            ],
            note="1件の相談で複数の内容を選べるため、合計は相談件数（延べではない件数）と一致しないことがあります。",
        )
    )
    tables.append(
        _institution_table(
            rows,
            "requester_facility",
            "requester_institution_key",
            "requester_institution",
            key="requester_institution",
            title="相談者の所属機関別件数（上位）",
            note=f"所属機関が記録された相談のみ。上位{TOP_INSTITUTIONS}機関を表示し、残りは「その他」にまとめています。",
        )
    )
    tables.extend(
        [
            Table(
                key="channel",
                title="相談経路別件数",
                label_heading="経路",
                columns=["件数"],
                rows=[Row(str(choice.label), [by_channel[choice]]) for choice in Channel],
            ),
            Table(
                key="response",
                title="対応別件数",
                label_heading="対応",
                columns=["件数"],
                rows=[Row(str(choice.label), [by_response[choice]]) for choice in Response],
            ),
        ]
    )
    tables.append(
        _institution_table(
            rows,
            "referred_facility",
            "referred_institution_key",
            "referred_institution",
            key="referred_institution",
            title="紹介先機関別件数（上位）",
            note=f"紹介先が記録された相談のみ。上位{TOP_INSTITUTIONS}機関を表示し、残りは「その他」にまとめています。",
        )
    )
    tables.append(
        Table(
            key="status",
            title="継続・終結",
            label_heading="状況",
            columns=["件数"],
            rows=[Row(str(choice.label), [by_status[choice]]) for choice in Status],
        )
    )
    if len(desk_ids) > 1:
        desk_counts = dict(rows.values_list("desk_id").annotate(n=Count("id")).order_by())
        desk_names = dict(Organization.objects.filter(pk__in=desk_ids).values_list("pk", "name"))
        desk_rows = [Row(desk_names[pk], [n]) for pk, n in desk_counts.items()]
        desk_rows.sort(key=lambda row: (-row.values[0], row.label))
        tables.append(
            Table(
                key="desk", title="相談窓口別件数", label_heading="相談窓口", columns=["件数"], rows=desk_rows
            )
        )

    start, end = period.bounds()
    follow_up_count = FollowUp.objects.filter(
        consultation__desk_id__in=desk_ids, occurred_at__gte=start, occurred_at__lt=end
    ).count()
    return Statistics(
        period=period, scope_label=scope_label, total=total, follow_up_count=follow_up_count, tables=tables
    )


# --- chart geometry (SVG drawn by the template) ----------------------------------------------------


@dataclass
class Bar:
    label: str
    value: int
    y: int
    width: float
    segments: list[tuple[float, float, str]]  # (x, width, css class)
    text_x: float


@dataclass
class Chart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]
    legend: list[tuple[str, str]]
    row_height: int = 24
    bar_height: int = 16

    def bars_svg(self) -> SafeString:
        """The bars as SVG elements (escaped labels), built here rather than by ~1,000 template nodes."""
        parts = []
        for bar in self.bars:
            rects = format_html_join(
                "",
                '<rect x="{}" y="{}" width="{}" height="{}" class="{}"></rect>',
                ((f"{x:.1f}", bar.y, f"{width:.1f}", self.bar_height, css) for x, width, css in bar.segments),
            )
            parts.append(
                format_html(
                    '<g><text x="{}" y="{}" text-anchor="end" class="chart__label">{}</text>{}'
                    '<text x="{}" y="{}" class="chart__value">{}</text></g>',
                    self.label_width - 6,
                    bar.y + 14,
                    bar.label,
                    rects,
                    f"{bar.text_x:.1f}",
                    bar.y + 14,
                    bar.value,
                )
            )
        return mark_safe("".join(parts))  # noqa: S308 (every part comes from format_html)


def bar_chart(table: Table) -> Chart:
    """Horizontal bars, one per row; the month table stacks 一般住民 and 支援機関. The geometry is
    sized so that a 360 px phone still shows the labels at a readable size."""
    width, label_width, plot_width, row_height, bar_height = 400, 136, 214, 26, 18
    stacked = table.key == "month"
    values = [row.values[table.chart_column] for row in table.rows]
    top = max(values, default=0) or 1
    bars = []
    for index, row in enumerate(table.rows):
        value = row.values[table.chart_column]
        if stacked:
            first = plot_width * row.values[0] / top
            second = plot_width * row.values[1] / top
            segments = [(label_width, first, "bar--resident"), (label_width + first, second, "bar--support")]
        else:
            segments = [(label_width, plot_width * value / top, "bar--single")]
        bar_width = sum(segment[1] for segment in segments)
        bars.append(
            Bar(
                label=row.label if len(row.label) <= 9 else row.label[:8] + "…",
                value=value,
                y=index * row_height + 4,
                width=bar_width,
                segments=segments,
                text_x=label_width + bar_width + 5,
            )
        )
    legend = (
        [
            (str(RequesterGroup.RESIDENT.label), "bar--resident"),
            (str(RequesterGroup.SUPPORT_ORGANIZATION.label), "bar--support"),
        ]
        if stacked
        else []
    )
    return Chart(
        width=width,
        height=max(len(bars), 1) * row_height + 8,
        label_width=label_width,
        bars=bars,
        legend=legend,
        row_height=row_height,
        bar_height=bar_height,
    )


# --- exports ---------------------------------------------------------------------------------------


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "・", title)[:31]


def _add_bar_chart(sheet, table: Table, header_row: int, total_row: int) -> None:
    """The page's bar chart, as an Excel chart beside the table (the 合計 row is left out)."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.legend import Legend

    chart = BarChart()
    chart.type = "bar" if table.key != "month" else "col"
    chart.title = table.title
    chart.legend = None
    if table.key == "month":
        chart.grouping = "stacked"
        chart.overlap = 100
        data = Reference(sheet, min_col=2, max_col=3, min_row=header_row, max_row=total_row - 1)
        chart.legend = Legend()
    else:
        data = Reference(sheet, min_col=2, max_col=2, min_row=header_row, max_row=total_row - 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=header_row + 1, max_row=total_row - 1))
    chart.height = max(7.5, 0.5 * len(table.rows) + 3)
    chart.width = 16
    sheet.add_chart(chart, "G4")


def statistics_workbook(statistics: Statistics) -> bytes:
    """The report for the 運営協議会: a summary sheet, then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    bold = Font(bold=True)
    heading_fill = PatternFill("solid", fgColor="DDE5EE")
    thin = Side(style="thin", color="999999")
    border = Border(top=thin, bottom=thin, left=thin, right=thin)

    workbook = Workbook()
    summary = workbook.active
    summary.title = "概要"
    period = statistics.period
    heading = "相談支援 集計表"
    if period.fiscal_year is not None:
        heading = f"{fiscal_year_label(period.fiscal_year)} {heading}"
    summary.append([heading])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([])
    for label, value in [
        ("対象", spreadsheet_text(statistics.scope_label)),
        ("期間", period.label),
        ("相談件数（新規）", statistics.total),
        ("うち継続中", statistics.continuing),
        ("継続対応の回数（期間内）", statistics.follow_up_count),
        ("作成日", timezone.localdate().strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月")),
    ]:
        summary.append([label, value])
        summary.cell(summary.max_row, 1).font = bold
    summary.column_dimensions["A"].width = 26
    summary.column_dimensions["B"].width = 48

    for table in statistics.tables:
        sheet = workbook.create_sheet(_sheet_title(table.title))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([f"{statistics.scope_label}　{period.label}"])
        sheet.append([])
        sheet.append([table.label_heading, *table.columns])
        header_row = sheet.max_row
        for row in table.rows:
            sheet.append([spreadsheet_text(row.label), *row.values])
        sheet.append(["合計", *table.totals])
        total_row = sheet.max_row
        for row_cells in sheet.iter_rows(
            min_row=header_row, max_row=total_row, max_col=len(table.columns) + 1
        ):
            for cell in row_cells:
                cell.border = border
                if cell.row in (header_row, total_row):
                    cell.font = bold
                if cell.row == header_row:
                    cell.fill = heading_fill
                    cell.alignment = Alignment(horizontal="center")
        if table.rows:
            _add_bar_chart(sheet, table, header_row, total_row)
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        sheet.column_dimensions["A"].width = 40
        for letter in "BCD":
            sheet.column_dimensions[letter].width = 12
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def statistics_csv(statistics: Statistics) -> bytes:
    """The same tables as the page and the Excel report, one after another, UTF-8 with BOM."""
    rows: list[list] = [
        ["相談支援 集計表"],
        ["対象", statistics.scope_label],
        ["期間", statistics.period.label],
        ["相談件数（新規）", statistics.total],
        ["継続対応の回数（期間内）", statistics.follow_up_count],
    ]
    for table in statistics.tables:
        rows.append([])
        rows.append([table.title])
        rows.append([table.label_heading, *table.columns])
        rows.extend([spreadsheet_text(row.label), *row.values] for row in table.rows)
        rows.append(["合計", *table.totals])
    return csv_bytes(rows)


def records_csv(consultations) -> bytes:
    """The desk's records in the import template's columns (so the file can be imported again),
    with the case number first. UTF-8 with BOM. Summaries included: callers log the export."""
    rows: list[list] = [["番号", *IMPORT_HEADINGS]]
    for c in consultations:
        rows.append(
            [
                c.pk,
                timezone.localtime(c.received_at).strftime("%Y/%m/%d %H:%M"),
                c.get_channel_display(),
                c.get_requester_type_display(),
                spreadsheet_text(c.requester_institution_name),
                c.get_subject_age_band_display(),
                c.get_subject_sex_display(),
                c.subject_municipality.name if c.subject_municipality_id else "",
                "、".join(category.name for category in c.categories.all()),
                spreadsheet_text(c.summary),
                c.get_response_display(),
                spreadsheet_text(c.referred_institution_name),
                "" if c.minutes_spent is None else c.minutes_spent,
                c.get_status_display(),
                c.next_action_on.strftime("%Y/%m/%d") if c.next_action_on else "",
                spreadsheet_text(c.staff_display),
            ]
        )
    return csv_bytes(rows)


# --- import of past records ------------------------------------------------------------------------

IMPORT_COLUMNS = [
    ("received_at", "受付日時", True),
    ("channel", "相談経路", True),
    ("requester_type", "相談者", True),
    ("requester_institution", "相談者の所属機関", False),
    ("subject_age_band", "本人の年代", False),
    ("subject_sex", "本人の性別", False),
    ("subject_municipality", "本人の市町村", False),
    ("categories", "相談内容区分", False),
    ("summary", "相談内容（要旨）", False),
    ("response", "対応", True),
    ("referred_institution", "紹介先機関", False),
    ("minutes_spent", "対応時間（分）", False),
    ("status", "状況", False),
    ("next_action_on", "次回対応予定日", False),
    ("staff", "担当者", False),
]
IMPORT_HEADINGS = [heading for _, heading, _ in IMPORT_COLUMNS]
TEMPLATE_EXAMPLE = [
    "2024/04/08 10:30",
    "電話",
    "医療機関",
    "八戸市立市民病院",
    "75〜84歳",
    "女性",
    "八戸市",
    "入退院・退院後の生活、介護保険・サービス利用",
    "退院後の訪問診療先について",
    "関係機関紹介",
    "",
    "20",
    "継続",
    "2024/04/15",
    "",
]
MAX_IMPORT_ROWS = 20000
MAX_IMPORT_BYTES = 10 * 1024 * 1024


def import_template_csv() -> bytes:
    return csv_bytes([IMPORT_HEADINGS, TEMPLATE_EXAMPLE])


def import_template_workbook() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "相談記録"
    sheet.append(IMPORT_HEADINGS)
    sheet.append(TEMPLATE_EXAMPLE)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index in range(len(IMPORT_HEADINGS)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) or Shift_JIS/CP932, as old tally sheets are saved by Excel."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp932", "shift_jis", "euc_jp", "utf_8"]).best()
    if best is None:
        raise ConsultationError(
            "ファイルの文字コードを判別できませんでした。UTF-8 か Shift_JIS で保存してください。"
        )
    encoding = best.encoding
    if encoding in ("shift_jis", "cp932"):
        encoding = "cp932"  # CP932 is the superset Windows writes (①, ㈱, 髙 …)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ConsultationError(
            "ファイルの文字コードを判別できませんでした。UTF-8 か Shift_JIS で保存してください。"
        ) from None


def read_table(filename: str, data: bytes) -> list[tuple[int, list]]:
    """The rows of a CSV or Excel file with their line numbers (1 = the heading row)."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ConsultationError("ファイルが大きすぎます（10MBまで）。分けて取り込んでください。")
    if filename.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a damaged or foreign file
            raise ConsultationError(
                "Excelファイルを読み込めませんでした。.xlsx 形式で保存してください。"
            ) from None
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
            if number > MAX_IMPORT_ROWS + 1:
                workbook.close()
                raise ConsultationError(
                    f"一度に取り込めるのは{MAX_IMPORT_ROWS}行までです。ファイルを分けてください。"
                )
            rows.append((number, list(values)))
        workbook.close()
        return rows
    if filename.lower().endswith(".xls"):
        raise ConsultationError("古いExcel形式（.xls）は読み込めません。.xlsx か CSV で保存してください。")
    text = decode_csv(data)
    try:
        return [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), 1)]
    except csv.Error as exc:
        raise ConsultationError(f"CSVを読み込めませんでした（{exc}）。") from None


_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_WAREKI = re.compile(r"(?:令和|R)\s*(元|\d{1,2})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?", re.IGNORECASE)
_TIME = re.compile(r"(\d{1,2})[:時](\d{2})")


def _find_day(text: str) -> tuple[date, int]:
    match = _WAREKI.search(text)
    if match:
        year = 1 if match.group(1) == "元" else int(match.group(1))
        return date(REIWA_OFFSET + year, int(match.group(2)), int(match.group(3))), match.end()
    match = _DATE.search(text)
    if not match:
        raise ValueError(text)
    return date(int(match.group(1)), int(match.group(2)), int(match.group(3))), match.end()


def parse_day(value) -> date:
    """A date from a cell: a date object, 2024/4/8, 2024-04-08, 2024年4月8日, 令和6年4月8日 or R6.4.8."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _find_day(unicodedata.normalize("NFKC", str(value)).strip())[0]


def parse_moment(value) -> datetime:
    """A date and time from a cell; a date alone means midnight (old tally sheets rarely keep the time)."""
    zone = timezone.get_current_timezone()
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time.min, tzinfo=zone)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    day, end = _find_day(text)
    match = _TIME.search(text, end)
    moment = time(int(match.group(1)), int(match.group(2))) if match else time.min
    return datetime.combine(day, moment, tzinfo=zone)


def _label_key(text: str) -> str:
    # Shift_JIS files turn the wave dash of 75〜84歳 into a full-width tilde.
    return normalize(text).replace("〜", "~")


def _choice_lookup(choices) -> dict[str, str]:
    return {_label_key(str(label)): value for value, label in choices}


@dataclass
class ImportResult:
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    rows_read: int = 0
    already_imported: int = 0  # valid rows of a file imported before (same desk), not added again

    @property
    def skipped(self) -> int:
        return len({line for line, _ in self.errors})


def import_summary(result: ImportResult, noun: str = "の相談記録") -> str:
    """What an import did, for the page and the command."""
    text = f"{result.imported}件{noun}を取り込みました。"
    if result.already_imported:
        text += f"{result.already_imported}件はすでに取り込み済みのため、追加しませんでした。"
    return text


class ImportRejected(ConsultationError):
    def __init__(self, result: ImportResult):
        super().__init__("取り込めない行があるため、何も取り込みませんでした。")
        self.result = result


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _validate_row(line: int, cells: dict, context: dict) -> tuple[dict | None, list[tuple[int, str]]]:
    errors: list[str] = []
    values: dict = {}
    headings = {key: heading for key, heading, _ in IMPORT_COLUMNS}
    for key, heading, required in IMPORT_COLUMNS:
        if required and not _cell(cells.get(key)):
            errors.append(f"「{heading}」が空です。")
        message = check_text(_cell(cells.get(key)), multiline=True)
        if message:
            errors.append(f"「{heading}」に{message}")
    if errors and any("制御文字" in message for message in errors):
        return None, [(line, message) for message in errors]
    raw = cells.get("received_at")
    if _cell(raw):
        try:
            values["received_at"] = parse_moment(raw)
        except (ValueError, OverflowError):
            errors.append(f"受付日時「{_cell(raw)}」を日付として読めません（例: 2024/04/08 10:30）。")
        else:
            message = check_received_at(values["received_at"], context["now"] - timedelta(minutes=5))
            if message:
                errors.append(f"受付日時「{_cell(raw)}」: {message}")
    for key, heading, lookup in [
        ("channel", "相談経路", context["channels"]),
        ("requester_type", "相談者", context["requester_types"]),
        ("response", "対応", context["responses"]),
        ("subject_age_band", "本人の年代", context["age_bands"]),
        ("subject_sex", "本人の性別", context["sexes"]),
        ("status", "状況", context["statuses"]),
    ]:
        text = _cell(cells.get(key))
        if not text:
            continue
        value = lookup.get(_label_key(text))
        if value is None:
            allowed = "、".join(str(label) for label in context["labels"][key])
            errors.append(f"{heading}「{text}」は選べません（{allowed} のいずれか）。")
        else:
            values[key] = value
    text = _cell(cells.get("subject_municipality"))
    if text:
        municipality = context["municipalities"].get(normalize(text))
        if municipality is None:
            errors.append(f"本人の市町村「{text}」はこの圏域の市町村ではありません。")
        values["subject_municipality"] = municipality
    text = _cell(cells.get("categories"))
    chosen, errors_before_categories = [], len(errors)
    for part in filter(None, (piece.strip() for piece in re.split(r"[、,;；／/|\n]", text))):
        category = context["categories"].get(normalize(part))
        if category is None:
            errors.append(f"相談内容区分「{part}」は登録されていません。")
        else:
            chosen.append(category)
    if not chosen and len(errors) == errors_before_categories:
        errors.append(f"「{headings['categories']}」が空です（1つ以上の区分を入力してください）。")
    values["categories"] = chosen
    text = _cell(cells.get("minutes_spent"))
    if text:
        try:
            minutes = int(unicodedata.normalize("NFKC", text).removesuffix("分"))
            if not 0 <= minutes <= 1440:
                raise ValueError
            values["minutes_spent"] = minutes
        except ValueError:
            errors.append(f"対応時間（分）「{text}」は0〜1440の整数で入力してください。")
    raw = cells.get("next_action_on")
    if _cell(raw):
        try:
            values["next_action_on"] = parse_day(raw)
        except (ValueError, OverflowError):
            errors.append(f"次回対応予定日「{_cell(raw)}」を日付として読めません（例: 2024/04/15）。")
        else:
            message = check_day(values["next_action_on"])
            if message:
                errors.append(f"次回対応予定日「{_cell(raw)}」: {message}")
    message = check_follow_up_date(values.get("status", Status.CLOSED), values.get("next_action_on"))
    if message:
        errors.append(message)
    for key in ("requester_institution", "referred_institution"):
        text = _cell(cells.get(key))
        if len(text) > 200:
            errors.append(f"「{headings[key]}」は200文字以内にしてください。")
        values[key] = text
    values["summary"] = _cell(cells.get("summary"))
    staff_text = _cell(cells.get("staff"))
    values["staff"] = context["staff"].get(normalize(staff_text)) if staff_text else None
    values["staff_name"] = "" if values["staff"] else staff_text[:100]
    if errors:
        return None, [(line, message) for message in errors]
    return values, []


def _row_fingerprint(desk: Organization, values: dict, occurrence: int) -> str:
    """What identifies an imported row: every value read from it (as parsed, so the same sheet saved
    as CSV or Excel matches) and its occurrence among identical rows of the file. Two identical rows
    in one file are two consultations (a tally sheet often holds only the day, the type and the
    category); the same file imported again matches each of them once."""
    municipality = values.get("subject_municipality")
    staff = values.get("staff")
    parts = [
        str(desk.pk),
        values["received_at"].astimezone(UTC).isoformat(),
        values["channel"],
        values["requester_type"],
        normalize(values["requester_institution"]),
        values.get("subject_age_band", AgeBand.UNKNOWN),
        values.get("subject_sex", Sex.UNKNOWN),
        str(municipality.pk) if municipality is not None else "",
        ",".join(str(pk) for pk in sorted({category.pk for category in values["categories"]})),
        values["summary"],
        values["response"],
        normalize(values["referred_institution"]),
        str(values.get("minutes_spent", "")),
        values.get("status", Status.CLOSED),
        values["next_action_on"].isoformat() if values.get("next_action_on") else "",
        f"u{staff.pk}" if staff is not None else normalize(values["staff_name"]),
        str(occurrence),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def import_consultations(
    *, desk: Organization, user: User | None, filename: str, data: bytes, valid_rows_only: bool = False
) -> ImportResult:
    """Validate every row, then import all of them in one transaction — or none when any row is
    invalid, unless ``valid_rows_only`` is chosen. Raises :class:`ImportRejected` when nothing was
    imported because of invalid rows."""
    table = read_table(filename, data)
    table = [(line, row) for line, row in table if any(_cell(value) for value in row)]
    if not table:
        raise ConsultationError("ファイルに行がありません。テンプレートの見出し行を残して記入してください。")
    heading_line, headings = table[0]
    positions: dict[str, int] = {}
    by_heading = {normalize(heading): key for key, heading, _ in IMPORT_COLUMNS}
    for index, heading in enumerate(headings):
        key = by_heading.get(normalize(_cell(heading)))
        if key is not None and key not in positions:
            positions[key] = index
    missing = [heading for key, heading, required in IMPORT_COLUMNS if required and key not in positions]
    if missing:
        raise ConsultationError(
            f"{heading_line}行目（見出し行）に必要な列がありません: {'、'.join(missing)}。テンプレートの見出しを使ってください。"
        )
    body = table[1:]
    if len(body) > MAX_IMPORT_ROWS:
        raise ConsultationError(
            f"一度に取り込めるのは{MAX_IMPORT_ROWS}行までです。ファイルを分けてください。"
        )

    region = region_of_desk(desk)
    context = {
        "now": timezone.now(),
        "channels": _choice_lookup(Channel.choices),
        "requester_types": _choice_lookup(RequesterType.choices),
        "responses": _choice_lookup(Response.choices),
        "age_bands": _choice_lookup(AgeBand.choices),
        "sexes": _choice_lookup(Sex.choices),
        "statuses": _choice_lookup(Status.choices),
        "labels": {
            "channel": Channel.labels,
            "requester_type": RequesterType.labels,
            "response": Response.labels,
            "subject_age_band": AgeBand.labels,
            "subject_sex": Sex.labels,
            "status": Status.labels,
        },
        "municipalities": {normalize(m.name): m for m in Municipality.objects.filter(region=region)},
        "categories": {normalize(c.name): c for c in categories_for(region)},
        "staff": {
            key: member
            for member in desk_staff(desk)
            for key in {normalize(member.full_name), normalize(member.username)} - {""}
        },
    }
    result = ImportResult(rows_read=len(body))
    valid: list[tuple[int, dict]] = []
    for line, row in body:
        cells = {key: row[index] if index < len(row) else None for key, index in positions.items()}
        values, errors = _validate_row(line, cells, context)
        if errors:
            result.errors.extend(errors)
        else:
            valid.append((line, values))
    if result.errors and not valid_rows_only:
        raise ImportRejected(result)

    occurrences: dict[str, int] = defaultdict(int)
    fingerprinted = []
    for line, values in valid:
        base = _row_fingerprint(desk, values, 0)
        occurrences[base] += 1
        fingerprinted.append((line, values, _row_fingerprint(desk, values, occurrences[base])))
    keys = [fingerprint for _, _, fingerprint in fingerprinted]
    present: set[str] = set()
    for index in range(0, len(keys), 500):
        present.update(
            Consultation.objects.filter(
                desk=desk, import_fingerprint__in=keys[index : index + 500]
            ).values_list("import_fingerprint", flat=True)
        )
    result.already_imported = sum(1 for key in keys if key in present)
    valid = [(line, values, key) for line, values, key in fingerprinted if key not in present]

    institution_cache: dict[str, object | None] = {}

    def facility_for(text: str):
        if not text:
            return None
        key = normalize(text)
        if key not in institution_cache:
            institution_cache[key] = facility_by_exact_name(region, text)
        return institution_cache[key]

    try:
        created = _insert_imported(desk, user, valid, facility_for)
    except IntegrityError:  # the same rows imported at the same moment by someone else
        raise ConsultationError(
            "同じファイルの取り込みが同時に行われました。もう一度取り込むと、未登録の行だけが追加されます。"
        ) from None
    result.imported = len(created)
    return result


@transaction.atomic
def _insert_imported(desk: Organization, user: User | None, valid: list, facility_for) -> list:
    records, category_links = [], []
    for _line, values, fingerprint in valid:
        status = values.get("status", Status.CLOSED)
        record = Consultation(
            desk=desk,
            received_at=values["received_at"],
            channel=values["channel"],
            requester_type=values["requester_type"],
            requester_facility=facility_for(values["requester_institution"]),
            requester_institution=values["requester_institution"],
            subject_age_band=values.get("subject_age_band", AgeBand.UNKNOWN),
            subject_sex=values.get("subject_sex", Sex.UNKNOWN),
            subject_municipality=values.get("subject_municipality"),
            summary=values["summary"],
            response=values["response"],
            referred_facility=facility_for(values["referred_institution"]),
            referred_institution=values["referred_institution"],
            minutes_spent=values.get("minutes_spent"),
            status=status,
            next_action_on=values.get("next_action_on") if status == Status.CONTINUING else None,
            staff=values["staff"],
            staff_name=values["staff_name"],
            created_by=user,
            import_fingerprint=fingerprint,
        )
        if record.requester_facility is not None:
            record.requester_institution = ""
        if record.referred_facility is not None:
            record.referred_institution = ""
        record.set_derived_fields()
        records.append((record, values["categories"]))
    created = Consultation.objects.bulk_create([record for record, _ in records], batch_size=500)
    through = Consultation.categories.through
    for record, (_, chosen) in zip(created, records, strict=True):
        category_links.extend(
            through(consultation_id=record.pk, consultationcategory_id=category.pk) for category in chosen
        )
    through.objects.bulk_create(category_links, batch_size=1000)
    return created
