from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO

import time_machine
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from renkei.directory.models import Facility
from renkei.freshness.models import FacilityContact
from tests.directory.search_fixtures import make_facility

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def _directory():
    """八戸市: 2 fresh, 1 overdue, 1 never, 1 closed (not counted); 五戸町: 1 fresh, 2 overdue, 1 missing."""
    fresh, old, older = NOW - timedelta(days=10), NOW - timedelta(days=200), NOW - timedelta(days=400)
    rows = [
        ("八戸A", "clinic", "022039", fresh, {}),
        ("八戸B", "visiting_nurse_station", "022039", NOW - timedelta(days=179), {}),
        ("八戸C", "clinic", "022039", old, {}),
        ("八戸D", "clinic", "022039", None, {}),
        ("八戸E", "clinic", "022039", older, {"status": "closed"}),
        ("五戸A", "visiting_nurse_station", "024422", fresh, {}),
        ("五戸B", "visiting_nurse_station", "024422", older, {}),
        ("五戸C", "clinic", "024422", old, {"missing_from_source_at": NOW - timedelta(days=3)}),
    ]
    return {
        name: make_facility(name, "", category, code, verified_at=verified, **extra)
        for name, category, code, verified, extra in rows
    }


def _row(html: str, marker: str) -> list[str]:
    import re

    row = html.split(marker, 1)[1].split("</tr>", 1)[0]
    return re.findall(r'<td class="num">([^<]*)</td>', row)


@time_machine.travel(NOW, tick=False)
def test_region_admin_sees_every_municipality_with_independent_counts(client, alice):
    _directory()
    client.force_login(alice)

    html = client.get("/staff/directory/freshness/").content.decode()

    # total, fresh, share, overdue, never, missing — counted by hand from _directory().
    assert _row(html, 'data-code="022039"') == ["4", "2", "50%", "1", "1", "0"]
    assert _row(html, 'data-code="024422"') == ["3", "1", "33%", "2", "0", "1"]
    assert _row(html, 'data-code="total"') == ["7", "3", "43%", "3", "1", "1"]
    assert _row(html, 'data-category="clinic"') == ["4", "1", "25%", "2", "1"]
    assert _row(html, 'data-category="visiting_nurse_station"') == ["3", "2", "67%", "1", "0"]
    # Overdue oldest first: 五戸B (400 days) before 八戸C and 五戸C (200 days, by id).
    overdue = html.split('id="overdue-heading"', 1)[1].split("</section>", 1)[0]
    assert overdue.index("五戸B") < overdue.index("八戸C") < overdue.index("五戸C")
    assert "八戸E" not in overdue
    # The trend chart: all seven were listed today (November); 3 are fresh.
    assert "2026年11月 43%（7件中3件）" in html  # this month: the same share as the total


@time_machine.travel(NOW, tick=False)
def test_municipality_staff_see_only_their_municipality(client, bob):
    _directory()
    client.force_login(bob)

    html = client.get("/staff/directory/freshness/").content.decode()

    assert 'data-code="024422"' in html and 'data-code="022039"' not in html
    assert _row(html, 'data-code="total"') == ["3", "1", "33%", "2", "0", "1"]


def test_professionals_have_no_dashboard(client, carol):
    client.force_login(carol)

    assert client.get("/staff/directory/freshness/").status_code == 403
    assert client.get("/staff/directory/freshness/overdue.xlsx").status_code == 403


@time_machine.travel(NOW, tick=False)
def test_the_overdue_list_goes_to_excel_for_phoning(client, bob):
    _directory()
    client.force_login(bob)

    response = client.get("/staff/directory/freshness/overdue.xlsx")

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("市町村", "名称")
    assert [row[1] for row in rows[1:]] == ["五戸B", "五戸C"]
    assert rows[2][6] == "公表データに無し"


def test_one_click_resends_a_link_to_the_working_contacts(client, bob):
    facility = make_facility("五戸D", "", "clinic", "024422")
    FacilityContact.objects.create(facility=facility, email="ok@example.invalid")
    FacilityContact.objects.create(facility=facility, email="gone@example.invalid", bounced_at=timezone.now())
    client.force_login(bob)

    response = client.post(f"/staff/directory/facilities/{facility.pk}/resend/")

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["ok@example.invalid"]]
    assert "/facilities/update/" in mail.outbox[0].body
    html = client.get("/staff/directory/freshness/").content.decode()
    assert "gone@example.invalid" in html  # listed under bounced e-mails


def test_staff_cannot_send_links_for_another_municipality(client, bob):
    facility = make_facility("八戸Z", "", "clinic", "022039")
    FacilityContact.objects.create(facility=facility, email="z@example.invalid")

    client.force_login(bob)

    assert client.post(f"/staff/directory/facilities/{facility.pk}/resend/").status_code == 403
    assert client.get(f"/staff/directory/facilities/{facility.pk}/contacts/").status_code == 403
    assert mail.outbox == []
    assert Facility.objects.count() == 1


def test_region_admin_sets_the_period_and_reminder_times(client, alice, bob):
    from renkei.freshness.models import FreshnessPolicy

    client.force_login(bob)
    assert client.get("/staff/directory/freshness/policy/").status_code == 403
    client.force_login(alice)
    bad = client.post(
        "/staff/directory/freshness/policy/",
        {"fresh_days": "90", "reminder_offsets": "-30, あした", "acceptance_fresh_days": "30",
         "acceptance_reminder_offsets": "0"},
    )  # fmt: skip
    assert bad.status_code == 400
    assert "カンマ区切りの整数" in bad.content.decode()
    assert not FreshnessPolicy.objects.exists()

    client.post(
        "/staff/directory/freshness/policy/",
        {"fresh_days": "90", "reminder_offsets": "14, -7，0", "acceptance_fresh_days": "14",
         "acceptance_reminder_offsets": "0"},
    )  # fmt: skip

    policy = FreshnessPolicy.objects.get()
    assert (policy.fresh_days, policy.reminder_offsets, policy.acceptance_fresh_days) == (90, [-7, 0, 14], 14)
    assert "最終確認から 90 日以内" in client.get("/staff/directory/freshness/").content.decode()
