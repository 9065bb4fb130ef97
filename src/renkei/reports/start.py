"""The start page's panel of the survey: the answers waiting for the person (counts only)."""

from __future__ import annotations

from django.http import HttpRequest

from renkei.core import permissions
from renkei.reports.models import ActivityEntry, EntryStatus


def panel(request: HttpRequest) -> dict | None:
    user = request.user
    latest = permissions.report_rounds_for(user).order_by("-as_of").first()
    if latest is None:
        return None
    if permissions.is_region_admin(user, latest.region):
        waiting = ActivityEntry.objects.filter(round=latest, status=EntryStatus.SUBMITTED).count()
        return {"round": latest, "label": "確認待ちの記載", "count": waiting}
    drafts = (
        permissions.editable_activity_entries(user).filter(round=latest, status=EntryStatus.DRAFT).count()
    )
    return {"round": latest, "label": "未提出（下書き）の記載", "count": drafts}
