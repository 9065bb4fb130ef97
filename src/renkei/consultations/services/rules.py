"""The errors of the consultation desk and the limits on what people type, shared by every service."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from renkei.consultations.models import Status
from renkei.core.models import Organization, Region, User
from renkei.core.services import RuleError
from renkei.core.text import CONTROL_CHARACTERS


class ConsultationError(RuleError):
    """Input that cannot be recorded or counted; the message is Japanese, for people."""


class PatientLinkForbidden(ConsultationError):
    """The patient exists but the person may not see (and so may not link) them. ``errors`` holds
    every problem found with the same input, this one included."""

    code = "permission_denied"
    status = 403


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
    """The one rule for a statistics period: both days in range, in order, at most five years."""
    message = check_day(start, today) or check_day(end, today)
    if message:
        return message
    if start > end:
        return "期間の開始日が終了日より後になっています。"
    if (end - start).days > 366 * 5:
        return "期間は5年以内で指定してください。"
    return None


def check_received_at(received_at: datetime, now: datetime | None = None) -> str | None:
    """When a consultation was received: from 2000, not in the future (five minutes of clock drift
    allowed after ``now``)."""
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


def check_follow_up_date(status: str, next_action_on: date | None) -> str | None:
    """The Japanese message when a continuing case has no next date (it would drop out of follow-up)."""
    if status == Status.CONTINUING and next_action_on is None:
        return "継続の場合は次回対応予定日を入力してください。"
    return None


def region_of_desk(desk: Organization) -> Region:
    region = desk.municipality.region
    if region is None:  # a desk is always chosen among the organisations of a region
        raise ConsultationError("この相談窓口はどの圏域にも属していません。")
    return region


def desk_staff(desk: Organization) -> QuerySet[User]:
    return User.objects.filter(organization=desk, is_active=True).order_by("full_name_kana", "username")
