"""The region's 入退院 figures per municipality of the patients: how many admissions had their
入院時情報提供 within the rule's deadline, and how many discharges had the hospital's contact
before it. Counts only — no patient is named — for the yearly survey (``renkei.reports``) and the
region's indicators."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from renkei.core.models import Region
from renkei.transitions.deadlines import done_in_time
from renkei.transitions.models import Episode

FIELDS = ("admissions", "admission_info_in_time", "discharges", "discharge_contact_in_time")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def timeliness_by_municipality(region: Region, start: date, end: date) -> dict[int, dict[str, int]]:
    """Per municipality (of the patient) of ``region``: admissions from ``start`` to ``end`` (days in
    Asia/Tokyo, both included) and of those, the ones whose admission sheet went by its deadline;
    discharges in those days with a contact deadline and of those, the ones contacted by it."""
    counts: dict[int, dict[str, int]] = {}

    def row(pk: int) -> dict[str, int]:
        return counts.setdefault(pk, dict.fromkeys(FIELDS, 0))

    episodes = Episode.objects.filter(patient__municipality__region=region)
    admitted = episodes.filter(
        admitted_at__gte=_start_of(start), admitted_at__lt=_start_of(end + timedelta(days=1))
    )
    for pk, sent_at, due in admitted.values_list(
        "patient__municipality_id", "admission_info_sent_at", "admission_info_due"
    ):
        row(pk)["admissions"] += 1
        row(pk)["admission_info_in_time"] += done_in_time(sent_at, due)
    discharged = episodes.filter(
        discharged_on__gte=start, discharged_on__lte=end, discharge_contact_due__isnull=False
    )
    for pk, contacted_at, contact_due in discharged.values_list(
        "patient__municipality_id", "discharge_contacted_at", "discharge_contact_due"
    ):
        row(pk)["discharges"] += 1
        row(pk)["discharge_contact_in_time"] += done_in_time(contacted_at, contact_due)
    return counts
