"""After ``load-demo`` the 入退院 indicators and the usage per organisation show real figures to the
demo region administrator: admissions at several hospitals of the demo directory, sheets within and
after the deadline, discharges with and without the hospital's contact, and a median response time
to 至急 posts."""

from __future__ import annotations

import re
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from renkei.core.fiscal import fiscal_year_of
from renkei.core.models import User
from renkei.transitions.services.indicators import indicators_for
from renkei.transitions.services.usage import usage_for


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_demo_shows_indicators_and_usage(db, client):
    call_command("load_demo", stdout=StringIO())
    admin = User.objects.get(username="demo-admin")
    year = fiscal_year_of(timezone.localdate())

    figures = indicators_for(admin, year)
    assert figures.total is not None
    total = figures.total.counts
    assert total["admissions"] >= 6
    assert 0 < total["admission_info_in_time"] < total["admissions"]  # some on time, some late
    assert total["discharges"] >= 4
    assert 0 < total["discharge_contact_in_time"] < total["discharges"]  # some with, some without
    assert len([row for row in figures.hospitals if row.counts["admissions"]]) >= 2
    assert len([row for row in figures.months if row.counts["admissions"]]) >= 1

    client.force_login(admin)
    page = _text(client.get("/transitions/indicators/").content.decode())
    assert str(figures.total.admission_info) in page
    assert str(figures.total.discharge_contact) in page
    for row in figures.hospitals:
        assert row.label in page

    usage = usage_for(admin, year)
    office = next(row for row in usage.rows if row.name == "デモ第二居宅介護支援事業所（架空）")
    station = next(row for row in usage.rows if row.name == "デモ第二訪問看護ステーション（架空）")
    assert office.teams >= 6 and office.posts >= 4
    assert station.urgent_received >= 1 and station.urgent_answered == station.urgent_received
    assert station.median_response_minutes is not None and station.median_response != "—"
    page = _text(client.get("/transitions/usage/").content.decode())
    assert station.median_response in page
    assert f"{station.urgent_received}（{station.urgent_answered}）" in page


def test_the_indicator_demo_loads_twice_without_duplicates(db):
    call_command("load_demo", stdout=StringIO())
    admin = User.objects.get(username="demo-admin")
    year = fiscal_year_of(timezone.localdate())
    before = indicators_for(admin, year).total
    posts = usage_for(admin, year).rows
    call_command("load_demo", stdout=StringIO())
    assert indicators_for(admin, year).total == before
    assert usage_for(admin, year).rows == posts
