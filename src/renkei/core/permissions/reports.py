"""The survey of the municipalities' activities (資料６－２): who reads, edits and reviews entries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from renkei.core.models import Region, User
from renkei.core.permissions.roles import (
    home_municipality,
    home_region,
    is_municipality_staff,
    is_region_admin,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser

# --- reports ---
# Region administrators and municipality staff of a region read the region's whole table (it is
# shown to the 協議会 as a whole). Municipality staff edit and submit their own municipality's entries
# while they are drafts or confirmed (an edit of a confirmed entry makes it a draft again); a
# submitted entry waits for the region administrator, who confirms it or sends it back. Only the
# region administrator opens a new survey and imports or exports the table. No patient data here.


def can_use_reports(user: AnyUser | None) -> bool:
    return is_region_admin(user) or is_municipality_staff(user)


def can_view_report_round(user: AnyUser | None, report_round) -> bool:
    region = home_region(user)
    return can_use_reports(user) and region is not None and region.pk == report_round.region_id


def report_rounds_for(user: AnyUser | None) -> QuerySet:
    from renkei.reports.models import ReportRound

    if not can_use_reports(user):
        return ReportRound.objects.none()
    return ReportRound.objects.filter(region=home_region(user))


def can_edit_activity_entry(user: AnyUser | None, entry) -> bool:
    """Municipality staff of the entry's municipality, while no review is waiting on it."""
    own = home_municipality(user)
    return (
        is_municipality_staff(user)
        and own is not None
        and own.pk == entry.municipality_id
        and entry.status != "submitted"
    )


def can_submit_activity_entry(user: AnyUser | None, entry) -> bool:
    return can_edit_activity_entry(user, entry) and entry.status == "draft"


def can_review_activity_entry(user: AnyUser | None, entry) -> bool:
    """The region administrator of the entry's region, once it is submitted."""
    return entry.status == "submitted" and is_region_admin(user, entry.round.region)


def editable_activity_entries(user: AnyUser | None) -> QuerySet:
    """The entries ``user`` may edit: their municipality's, when not waiting for review."""
    from renkei.reports.models import ActivityEntry

    own = home_municipality(user)
    if not is_municipality_staff(user) or own is None:
        return ActivityEntry.objects.none()
    return ActivityEntry.objects.filter(municipality=own).exclude(status="submitted")


def can_manage_report_rounds(user: AnyUser | None, region: Region | None = None) -> bool:
    """Opening a new survey, importing the seed, exporting the regional table."""
    return is_region_admin(user, region)


def can_export_report_round(user: AnyUser | None, report_round) -> bool:
    return can_view_report_round(user, report_round)
