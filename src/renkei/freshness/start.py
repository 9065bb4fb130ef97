"""The start page's panel of directory freshness: pending 変更申請 and overdue entries, from the
dashboard's own figures."""

from __future__ import annotations

from django.http import HttpRequest

from renkei.core import permissions
from renkei.freshness.services.dashboard import dashboard

OLDEST_SHOWN = 5


def panel(request: HttpRequest) -> dict | None:
    if not permissions.can_view_freshness_dashboard(request.user):
        return None
    data = dashboard(request.user, list_limit=OLDEST_SHOWN)
    return {
        "pending_reviews": data.pending_reviews,
        "overdue_count": data.overdue_count,
        "oldest": data.overdue,
        "fresh_days": data.policy.fresh_days,
    }
