"""The dashboard's trend shows, for each month, the share of entries confirmed within the period as
of the month's end, read from the history: confirming an entry again later does not change the
months before."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from renkei.core.models import Region
from renkei.freshness.models import FreshnessPolicy
from renkei.freshness.services import dashboard, links, updates
from tests.freshness.helpers import facility_with_contact


def noon(year, month, day):
    return datetime(year, month, day, 3, 0, tzinfo=UTC)  # 12:00 in Japan


def _confirm(facility, contact, when):
    with time_machine.travel(when, tick=False):
        updates.confirm_unchanged(links.issue_link(facility, contact.email))


def test_each_month_shows_the_share_fresh_at_its_end_and_later_confirmations_do_not_rewrite_it(alice):
    FreshnessPolicy.objects.create(region=Region.objects.get(slug="hachinohe"), fresh_days=60)
    with time_machine.travel(noon(2026, 1, 5), tick=False):
        a = facility_with_contact(name="A", code="022039", email="a@example.invalid")
        b = facility_with_contact(name="B", code="022039", email="b@example.invalid")
        facility_with_contact(name="C", code="022039", email="c@example.invalid")  # never confirmed
        closed = facility_with_contact(name="D", code="022039", email="d@example.invalid", status="closed")
    _confirm(*a, noon(2026, 2, 10))
    _confirm(*closed, noon(2026, 2, 10))  # closed: never counted
    _confirm(*b, noon(2026, 3, 15))

    def trend_at(when):
        with time_machine.travel(when, tick=False):
            return {(m["year"], m["month"]): m["share"] for m in dashboard.dashboard(alice).trend}

    before = trend_at(noon(2026, 5, 10))
    _confirm(*a, noon(2026, 5, 20))
    after = trend_at(noon(2026, 6, 10))

    # By hand, 60 days fresh, 3 listed entries (A, B, C) since 5 January:
    # end of Jan: none; end of Feb: A (10 Feb); end of Mar: A, B; end of Apr (from 1 Mar): B;
    # 10 May (from 11 Mar): B; end of May (from 1 Apr): A (20 May); 10 June (from 11 Apr): A.
    assert before[(2025, 12)] is None  # nothing listed yet
    assert [before[(2026, m)] for m in (1, 2, 3, 4, 5)] == [0, 33, 67, 33, 33]
    assert [after[(2026, m)] for m in (1, 2, 3, 4, 5, 6)] == [0, 33, 67, 33, 33, 33]
    assert [after[(2026, m)] for m in (1, 2, 3, 4)] == [before[(2026, m)] for m in (1, 2, 3, 4)]
    with time_machine.travel(noon(2026, 6, 10), tick=False):
        assert dashboard.dashboard(alice).totals["share"] == 33  # this month's bar is the headline share


def test_the_chart_names_each_months_share_and_counts(client, alice):
    with time_machine.travel(noon(2026, 3, 1), tick=False):
        facility_with_contact(
            name="A", code="022039", email="a@example.invalid", verified_at=noon(2026, 3, 1)
        )
        facility_with_contact(name="B", code="022039", email="b@example.invalid")
        client.force_login(alice)
        html = client.get("/staff/directory/freshness/").content.decode()

    assert "2026年3月 50%（2件中1件）" in html
    assert "2026年2月 掲載なし" in html
