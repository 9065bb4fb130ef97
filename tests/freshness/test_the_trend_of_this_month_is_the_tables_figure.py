"""The dashboard chart's bar for this month shows the same share as the table, also for entries
whose confirmation left no version in the history (the demo data, bulk updates)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from renkei.directory.models import Facility
from renkei.freshness.services import dashboard
from tests.directory.search_fixtures import make_facility


def test_this_months_bar_equals_the_table(bob):
    for name in ("五戸F", "五戸G", "五戸H"):
        make_facility(name, "", "clinic", "024422")
    # Confirmed as the demo does it: one UPDATE, no history version.
    Facility.objects.filter(name__in=["五戸F", "五戸G"]).update(
        verified_at=timezone.now() - timedelta(days=3)
    )

    figures = dashboard.dashboard(bob)

    assert figures.totals["fresh"] == 2 and figures.totals["share"] == 67
    assert figures.trend[-1]["share"] == figures.totals["share"]
    assert figures.trend[-1]["fresh"] == 2 and figures.trend[-1]["listed"] == 3
