"""The survey's pages: staff edit and submit their row, the administrator reviews, others are refused."""

from __future__ import annotations

from datetime import date

import pytest

from renkei.reports.items import Item
from renkei.reports.models import ActivityEntry, EntryStatus
from renkei.reports.services import entries


@pytest.fixture
def report_round(region, alice):
    return entries.open_round(alice, region, date(2024, 12, 31))


def _entry(report_round, code: str) -> ActivityEntry:
    return ActivityEntry.objects.get(round=report_round, municipality__code=code, item=Item.A)


def test_the_administrator_opens_a_survey_from_the_list(client, alice, region):
    client.force_login(alice)
    response = client.post("/reports/", {"as_of": "2024-12-31"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Ｒ6.12.末日時点" in page.content.decode()
    assert client.post("/reports/", {"as_of": "2024-12-31"}).status_code == 400  # already there


def test_staff_may_not_open_a_survey(client, bob, region):
    client.force_login(bob)
    assert client.get("/reports/").status_code == 200
    assert client.post("/reports/", {"as_of": "2024-12-31"}).status_code == 403


def test_staff_edit_and_submit_their_row_through_the_page(client, bob, report_round):
    entry = _entry(report_round, "024422")
    client.force_login(bob)
    table = client.get(f"/reports/{report_round.pk}/").content.decode()
    assert f'href="/reports/entries/{entry.pk}/">編集' in table
    form = {
        "activities": "・マップ改訂",
        "issues": "",
        "requests": "・確認",
        "stage": "plan",
        "scenes": ["daily"],
    }
    response = client.post(f"/reports/entries/{entry.pk}/", {**form, "action": "submit"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.activities, entry.requests, entry.status, entry.scenes) == (
        "・マップ改訂", "・確認", EntryStatus.SUBMITTED, ["daily"]
    )  # fmt: skip
    other = _entry(report_round, "022039")
    response = client.post(f"/reports/entries/{other.pk}/", {**form, "action": "save"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.activities == ""


def test_the_administrator_confirms_through_the_page(client, alice, bob, report_round):
    entry = entries.submit_entry(bob, _entry(report_round, "024422"))
    client.force_login(alice)
    page = client.get(f"/reports/entries/{entry.pk}/").content.decode()
    assert "確認済みにする" in page and "記載を編集" not in page
    assert client.post(f"/reports/entries/{entry.pk}/", {"action": "return"}).status_code == 400
    assert client.post(f"/reports/entries/{entry.pk}/", {"action": "confirm"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.CONFIRMED
    assert "確認（確認済み）" in client.get(f"/reports/entries/{entry.pk}/").content.decode()


def test_people_outside_the_survey_see_nothing(client, carol, report_round):
    client.force_login(carol)
    assert client.get("/reports/").status_code == 403
    assert client.get(f"/reports/{report_round.pk}/").status_code == 404
    assert client.get(f"/reports/entries/{_entry(report_round, '024422').pk}/").status_code == 404
    client.logout()
    assert client.get("/reports/")["Location"].startswith("/accounts/login/")


def test_the_start_page_counts_what_waits_for_each_person(client, alice, bob, carol, report_round):
    entries.submit_entry(bob, _entry(report_round, "024422"))
    client.force_login(bob)
    page = client.get("/staff/").content.decode()
    assert "未提出（下書き）の記載" in page and 'data-testid="start-reports-count">6<' in page
    client.force_login(alice)
    page = client.get("/staff/").content.decode()
    assert "確認待ちの記載" in page and 'data-testid="start-reports-count">1<' in page
    client.force_login(carol)
    assert 'data-testid="start-reports"' not in client.get("/staff/").content.decode()
