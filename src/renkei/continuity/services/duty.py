"""Who is on duty at a moment: the weekly pattern of each rota, its exceptions, 祝日 and midnight.

Pure reading, no permission check: the callers (rota pages, the contact path) decide who may ask.
A slot belongs to the day it starts on, so the Sunday night duty 17:30–翌8:30 still answers on
Monday at 3:00, and a 祝日 changes only the slots that start on it. Asia/Tokyo has no daylight
saving time, so a local date plus a local time is always exactly one moment.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch

from renkei.continuity.models import DayKind, OnCallRota, RotaException, RotaSlot
from renkei.core.business_days import is_national_holiday, local_date
from renkei.core.models import User

ONE_DAY = timedelta(days=1)


def tokyo() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """The moment ``day`` ``hour``:``minute`` in Asia/Tokyo."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tokyo())


@dataclass(frozen=True)
class Duty:
    """Who is on duty at one moment (or over one segment of time)."""

    people: tuple[User, ...]
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    by_exception: bool = False

    @property
    def status(self) -> str:
        if not self.people:
            return "gap"
        return "overlap" if len(self.people) > 1 else "covered"

    @property
    def status_label(self) -> str:
        return {"gap": "当番なし（空白）", "overlap": "当番が重複", "covered": "当番あり"}[self.status]

    @property
    def names(self) -> list[str]:
        return [person.full_name or person.username for person in self.people]


def rotas_with_rules(organization_ids: Iterable[int]) -> list[OnCallRota]:
    """The organisations' rotas with their slots, exceptions and people (three queries)."""
    return list(
        OnCallRota.objects.filter(organization_id__in=list(organization_ids)).prefetch_related(
            Prefetch("slots", queryset=RotaSlot.objects.select_related("user")),
            Prefetch("exceptions", queryset=RotaException.objects.select_related("user")),
        )
    )


def _valid_on(rota: OnCallRota, day: date) -> bool:
    return rota.valid_from <= day and (rota.valid_until is None or day <= rota.valid_until)


def day_kind(rota: OnCallRota, day: date) -> int:
    """Which slots ``day`` uses: its 祝日 slots when it is a 祝日 and the rota has any, else its weekday's."""
    if is_national_holiday(day) and any(slot.day == DayKind.HOLIDAY for slot in rota.slots.all()):
        return DayKind.HOLIDAY
    return day.weekday()


def pattern_on(rota: OnCallRota, day: date) -> list[tuple[datetime, datetime, User]]:
    """The weekly slots that start on ``day``, as moments."""
    if not _valid_on(rota, day):
        return []
    kind = day_kind(rota, day)
    intervals = []
    for slot in rota.slots.all():
        if slot.day != kind:
            continue
        starts = at(day, slot.starts.hour, slot.starts.minute)
        end_day = day if slot.ends > slot.starts else day + ONE_DAY
        intervals.append((starts, at(end_day, slot.ends.hour, slot.ends.minute), slot.user))
    return intervals


def _people(users: Iterable[User]) -> tuple[User, ...]:
    unique = {user.pk: user for user in users}
    return tuple(sorted(unique.values(), key=lambda user: (user.full_name_kana, user.pk)))


def _rota_people(rota: OnCallRota, moment: datetime) -> tuple[list[User], bool]:
    """Who ``rota`` puts on duty at ``moment``, and whether an exception decided it."""
    exceptions = [e for e in rota.exceptions.all() if e.starts_at <= moment < e.ends_at]
    if exceptions:
        return [e.user for e in exceptions if e.user is not None], True
    today = local_date(moment)
    return [
        user
        for day in (today - ONE_DAY, today)
        for starts, ends, user in pattern_on(rota, day)
        if starts <= moment < ends
    ], False


def on_duty(rotas: Iterable[OnCallRota], moment: datetime) -> Duty:
    """Who the rotas (one organisation's) put on duty at ``moment``: nobody is a gap, several an
    overlap — both are reported as they are, never resolved away."""
    people: list[User] = []
    by_exception = False
    for rota in rotas:
        found, decided = _rota_people(rota, moment)
        people.extend(found)
        by_exception = by_exception or decided
    return Duty(_people(people), by_exception=by_exception)


def _boundaries(rotas: list[OnCallRota], start: datetime, end: datetime) -> list[datetime]:
    moments = {start, end}
    first, last = local_date(start) - ONE_DAY, local_date(end)
    for rota in rotas:
        day = first
        while day <= last:
            for starts, ends, _user in pattern_on(rota, day):
                moments.update((starts, ends))
            day += ONE_DAY
        for exception in rota.exceptions.all():
            moments.update((exception.starts_at, exception.ends_at))
    return sorted(moment for moment in moments if start <= moment <= end)


def coverage(rotas: list[OnCallRota], start: datetime, end: datetime) -> list[Duty]:
    """The span [start, end) cut where the duty changes: each segment with its people, gaps and
    overlaps included."""
    segments: list[Duty] = []
    points = _boundaries(rotas, start, end)
    for left, right in itertools.pairwise(points):
        duty = on_duty(rotas, left)
        previous = segments[-1] if segments else None
        if previous is not None and [p.pk for p in previous.people] == [p.pk for p in duty.people]:
            segments[-1] = Duty(previous.people, previous.starts_at, right, previous.by_exception)
        else:
            segments.append(Duty(duty.people, left, right, duty.by_exception))
    return segments


@dataclass
class DutyBook:
    """On-duty answers for many organisations at one moment, each organisation's rotas read once:
    what resolving tonight's contact for every patient of a user needs."""

    moment: datetime
    rotas: dict[int, list[OnCallRota]] = field(default_factory=dict)
    _answers: dict[int, Duty] = field(default_factory=dict)

    @classmethod
    def load(cls, organization_ids: Iterable[int], moment: datetime) -> DutyBook:
        book = cls(moment)
        ids = set(organization_ids)
        day = local_date(moment)
        rotas = [
            rota
            for rota in rotas_with_rules(ids)
            if _valid_on(rota, day) or _valid_on(rota, day - ONE_DAY) or rota.exceptions.all()
        ]
        for organization_id in ids:
            book.rotas[organization_id] = [r for r in rotas if r.organization_id == organization_id]
        return book

    def has_rota(self, organization_id: int) -> bool:
        return bool(self.rotas.get(organization_id))

    def duty(self, organization_id: int) -> Duty:
        if organization_id not in self._answers:
            self._answers[organization_id] = on_duty(self.rotas.get(organization_id, []), self.moment)
        return self._answers[organization_id]
