"""The overdue dashboard: open items past their deadline among the episodes a person may see,
by care manager and by hospital 地域連携室. Names only, as on the home list (no record contents)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from renkei.core import permissions
from renkei.core.models import User
from renkei.transitions.models import OPEN_STATUSES, ReminderKind

KIND_LABELS = {
    ReminderKind.ADMISSION_INFO: "入院時情報提供",
    ReminderKind.DISCHARGE_CONTACT: "退院前の病院からの連絡",
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


@dataclass
class Group:
    name: str
    items: list[OverdueItem] = field(default_factory=list)


@dataclass
class Dashboard:
    today: date
    items: list[OverdueItem]

    def _grouped(self, key: str) -> list[Group]:
        groups: dict[str, Group] = {}
        for item in self.items:
            name = getattr(item, key) or "（未設定）"
            groups.setdefault(name, Group(name)).items.append(item)
        return sorted(groups.values(), key=lambda group: (-len(group.items), group.name))

    @property
    def by_care_manager(self) -> list[Group]:
        return self._grouped("care_manager")

    @property
    def by_hospital(self) -> list[Group]:
        return self._grouped("hospital")


COLUMNS = (
    "id",
    "patient_id",
    "patient__full_name",
    "hospital_name",
    "care_manager__full_name",
    "admission_info_due",
    "admission_info_sent_at",
    "discharge_contact_due",
    "discharge_contacted_at",
)


def overdue_dashboard(actor: User, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    rows = (
        permissions.episodes_visible_to(actor)
        .filter(status__in=OPEN_STATUSES)
        .filter(
            Q(admission_info_sent_at=None, admission_info_due__lt=today)
            | Q(discharge_contacted_at=None, discharge_contact_due__lt=today)
        )
        .values_list(*COLUMNS)
    )
    items = []
    for pk, patient_id, name, hospital, care_manager, info_due, info_at, contact_due, contact_at in rows:
        common = {"episode_id": pk, "patient_id": patient_id, "patient_name": name}
        common |= {"hospital": hospital, "care_manager": care_manager or ""}
        if info_at is None and info_due < today:
            items.append(
                OverdueItem(
                    kind=ReminderKind.ADMISSION_INFO,
                    due=info_due,
                    days_over=(today - info_due).days,
                    **common,
                )
            )
        if contact_at is None and contact_due is not None and contact_due < today:
            items.append(
                OverdueItem(
                    kind=ReminderKind.DISCHARGE_CONTACT,
                    due=contact_due,
                    days_over=(today - contact_due).days,
                    **common,
                )
            )
    items.sort(key=lambda item: (item.due, item.episode_id, item.kind))
    return Dashboard(today, items)
