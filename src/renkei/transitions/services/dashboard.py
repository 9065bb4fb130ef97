"""The overdue dashboard: open items past their deadline among the episodes a person may see,
by care manager and by hospital 地域連携室. Names only, as on the home list (no record contents).

The page never holds every overdue item: the database counts them per group (one ``GROUP BY``) and
returns one page of items, in deadline order, from the two kinds' rows joined by ``UNION ALL``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet, Value
from django.utils import timezone

from renkei.core import permissions
from renkei.core.models import User
from renkei.transitions.models import OPEN_STATUSES, Episode, ReminderKind

KIND_LABELS = {
    ReminderKind.ADMISSION_INFO: "入院時情報提供",
    ReminderKind.DISCHARGE_CONTACT: "退院前の病院からの連絡",
}
PAGE_SIZE = 50
UNSET = "（未設定）"
# What the page groups by: the care manager the episode names (by person), or the hospital's name.
GROUPINGS = {
    "care_manager": ("care_manager_id", "care_manager__full_name"),
    "hospital": ("hospital_name",) * 2,
}


@dataclass(frozen=True)
class OverdueItem:
    episode_id: int
    patient_id: int
    patient_name: str
    kind: str
    due: date
    days_over: int
    hospital: str
    care_manager: str

    @property
    def label(self) -> str:
        return KIND_LABELS[ReminderKind(self.kind)]


@dataclass(frozen=True)
class GroupCount:
    key: str  # the value of ``?group=`` that lists this group's items
    name: str
    admission_info: int
    discharge_contact: int

    @property
    def total(self) -> int:
        return self.admission_info + self.discharge_contact


@dataclass
class Dashboard:
    today: date
    items: list[OverdueItem]


@dataclass
class DashboardPage:
    today: date
    by: str
    groups: list[GroupCount]
    group: GroupCount | None  # the chosen group, or None: every item
    page: Page

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)


ADMISSION_LATE = Q(admission_info_sent_at=None)
DISCHARGE_LATE = Q(discharge_contacted_at=None, discharge_contact_due__isnull=False)


def _late(today: date) -> tuple[Q, Q]:
    return (
        ADMISSION_LATE & Q(admission_info_due__lt=today),
        DISCHARGE_LATE & Q(discharge_contact_due__lt=today),
    )


def _overdue(visible: QuerySet[Episode], today: date) -> QuerySet[Episode]:
    admission, discharge = _late(today)
    return visible.filter(status__in=OPEN_STATUSES).filter(admission | discharge)


ITEM_COLUMNS = ("id", "patient_id", "patient__full_name", "hospital_name", "care_manager__full_name")


def _items(episodes: QuerySet[Episode], today: date) -> QuerySet[Any]:
    """Both kinds of overdue item as rows of one query, in deadline order."""
    admission, discharge = _late(today)
    kinds = (
        (admission, ReminderKind.ADMISSION_INFO, "admission_info_due"),
        (discharge, ReminderKind.DISCHARGE_CONTACT, "discharge_contact_due"),
    )
    first, second = (
        episodes.filter(late)
        .annotate(kind=Value(str(kind)), due=F(due_field))
        .values_list(*ITEM_COLUMNS, "kind", "due")
        .order_by()
        for late, kind, due_field in kinds
    )
    return first.union(second, all=True).order_by("due", "id", "kind")


def _item(row: tuple[Any, ...], today: date) -> OverdueItem:
    pk, patient_id, name, hospital, care_manager, kind, due = row
    return OverdueItem(pk, patient_id, name, kind, due, (today - due).days, hospital, care_manager or "")


def overdue_dashboard(actor: User, today: date | None = None) -> Dashboard:
    """Every overdue item the actor may see (for the API; the page shows :func:`overdue_page`)."""
    today = today or timezone.localdate()
    return Dashboard(
        today,
        [_item(row, today) for row in _items(_overdue(permissions.episodes_visible_to(actor), today), today)],
    )


def group_counts(actor: User, by: str, today: date | None = None) -> list[GroupCount]:
    """Per care manager (or hospital): how many items of each kind are overdue, most first."""
    today = today or timezone.localdate()
    return _counts(_overdue(permissions.episodes_visible_to(actor), today), by, today)


def _counts(overdue: QuerySet[Episode], by: str, today: date) -> list[GroupCount]:
    key, name = GROUPINGS[by]
    admission, discharge = _late(today)
    rows = (
        overdue.values(*dict.fromkeys((key, name)))
        .annotate(admission=Count("pk", filter=admission), discharge=Count("pk", filter=discharge))
        .order_by()
    )
    groups = [
        GroupCount(
            str(row[key] if row[key] is not None else ""),
            row[name] or UNSET,
            row["admission"],
            row["discharge"],
        )
        for row in rows
    ]
    return sorted(groups, key=lambda group: (-group.total, group.name, group.key))


class _Rows:
    """The union query as a sequence Django's paginator can count (from the group counts) and slice."""

    def __init__(self, rows: QuerySet[Any], count: int, today: date) -> None:
        self.rows, self.count, self.today = rows, count, today

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, window: slice) -> list[OverdueItem]:
        return [_item(row, self.today) for row in self.rows[window]]


def overdue_page(
    actor: User,
    *,
    by: str = "care_manager",
    group: str | None = None,
    page: Any = 1,
    today: date | None = None,
) -> DashboardPage:
    """The counts per group and one page of overdue items (of ``group``, or of every group)."""
    today = today or timezone.localdate()
    by = by if by in GROUPINGS else "care_manager"
    episodes = _overdue(permissions.episodes_visible_to(actor), today)
    groups = _counts(episodes, by, today)
    chosen = next((found for found in groups if found.key == group), None) if group is not None else None
    if chosen is not None:
        if by == "hospital":
            episodes = episodes.filter(hospital_name=chosen.key)
        else:
            episodes = episodes.filter(care_manager_id=int(chosen.key) if chosen.key else None)
    count = chosen.total if chosen else sum(found.total for found in groups)
    rows = _Rows(_items(episodes, today), count, today)
    return DashboardPage(today, by, groups, chosen, Paginator(rows, PAGE_SIZE).get_page(page))  # type: ignore[arg-type]  # _Rows is the sized, sliceable sequence the paginator needs
