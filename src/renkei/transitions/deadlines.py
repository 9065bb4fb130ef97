"""The region's rule turned into dates. Every moment is read in Asia/Tokyo
(:func:`renkei.core.business_days.local_date`), so a deadline never falls on the wrong day because the
server runs in UTC; 祝日 and the year-end closure come from :mod:`renkei.core.business_days`.

- 入院時情報連携加算（Ⅰ）: the day of admission; the next day when the patient was admitted outside
  the care-manager office's hours or on a day it is closed (FY2024 介護報酬).
- The admission sheet (the region's rule; default 加算（Ⅱ）): ``admission_sheet_days`` after the day of
  admission, in calendar days (as the 加算 counts) or in business days.
- The hospital's contact before discharge: ``discharge_contact_days`` business days before the
  expected discharge date.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from renkei.core.business_days import local_date
from renkei.core.models import Region
from renkei.transitions.models import TransitionRule


def rule_for(region: Region | int | None) -> TransitionRule:
    """The region's rule, or the defaults (an unsaved rule) when the region set none."""
    region_id = region.pk if isinstance(region, Region) else region
    found = TransitionRule.objects.filter(region_id=region_id).first() if region_id else None
    if found is not None:
        return found
    rule = TransitionRule()
    rule.region_id = region_id  # type: ignore[assignment]  # the defaults of a region without a row (or none)
    return rule


def admission_bonus_due(admitted_at: datetime, rule: TransitionRule) -> date:
    day = local_date(admitted_at)
    moment = timezone.localtime(admitted_at).time()
    in_hours = rule.office_opens <= moment < rule.office_closes
    if rule.business_calendar.is_business_day(day) and in_hours:
        return day
    return day + timedelta(days=1)


def admission_info_due(admitted_at: datetime, rule: TransitionRule) -> date:
    day = local_date(admitted_at)
    if rule.admission_sheet_business_days:
        return rule.business_calendar.add_business_days(day, rule.admission_sheet_days)
    return day + timedelta(days=rule.admission_sheet_days)


def discharge_contact_due(expected_discharge: date | None, rule: TransitionRule) -> date | None:
    if expected_discharge is None:
        return None
    return rule.business_calendar.add_business_days(expected_discharge, -max(1, rule.discharge_contact_days))


def done_in_time(done_at: datetime | None, due: date | None) -> bool:
    """Whether a step was done by its deadline: on or before the due day, in Asia/Tokyo."""
    return done_at is not None and due is not None and local_date(done_at) <= due
