from __future__ import annotations

from datetime import UTC, datetime

from renkei.directory.importers import run_import
from renkei.directory.models import Facility
from tests.directory.conftest import kaigo_file, kaigo_row
from tests.directory.search_fixtures import make_facility


def test_staff_see_who_changed_what_and_restore_an_earlier_version(client, bob):
    facility = make_facility(
        "五戸ナースステーション", "", "visiting_nurse_station", "024422", phone="0178-62-0001"
    )
    client.force_login(bob)
    form = client.get(f"/facilities/{facility.pk}/edit/").context["form"]
    data = {
        name: ("" if value is None else value) for name, value in form.initial.items() if name != "services"
    }
    data.update(phone="0178-62-9999", municipality=facility.municipality_id)
    assert client.post(f"/facilities/{facility.pk}/edit/", data).status_code == 302

    html = client.get(f"/staff/directory/facilities/{facility.pk}/history/").content.decode()
    assert "五戸 ボブ" in html and "職員が編集" in html
    assert "0178-62-0001" in html and "0178-62-9999" in html
    first = facility.history.order_by("history_date", "history_id").first()

    response = client.post(f"/staff/directory/facilities/{facility.pk}/history/{first.history_id}/restore/")

    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.phone == "0178-62-0001"
    latest = facility.history.first()
    assert latest.phone == "0178-62-0001" and latest.history_user == bob
    assert latest.history_change_reason.endswith("の版を復元")
    assert facility.history.count() == 4  # two from the helper, the edit, the restore


def test_history_is_for_the_staff_of_the_municipality(client, bob, carol):
    facility = make_facility("八戸の診療所", "", "clinic", "022039")
    for user in (bob, carol):
        client.force_login(user)
        assert client.get(f"/staff/directory/facilities/{facility.pk}/history/").status_code == 403
    history_id = facility.history.first().history_id
    assert (
        client.post(f"/staff/directory/facilities/{facility.pk}/history/{history_id}/restore/").status_code
        == 403
    )


def test_imports_write_a_version_for_each_added_and_changed_facility(db):
    run_import("kaigo", [kaigo_file([kaigo_row(), kaigo_row(事業所番号="0291000002", 事業所名="二つ目")])])
    run_import(
        "kaigo",
        [
            kaigo_file(
                [kaigo_row(電話番号="0178-62-1111"), kaigo_row(事業所番号="0291000002", 事業所名="二つ目")]
            )
        ],
    )

    changed = Facility.objects.get(care_office_number="0291000001")
    versions = list(changed.history.order_by("history_date", "history_id"))
    assert [(v.history_type, v.phone, v.history_change_reason) for v in versions] == [
        ("+", "0178-62-0001", "取込（kaigo）"),
        ("~", "0178-62-1111", "取込（kaigo）"),
    ]
    unchanged = Facility.objects.get(care_office_number="0291000002")
    assert unchanged.history.count() == 1


def test_a_full_import_marks_the_missing_and_clears_the_mark_when_they_return(client, db):
    both = [kaigo_row(), kaigo_row(事業所番号="0291000002", 事業所名="閉じた訪問看護")]
    run_import("kaigo", [kaigo_file(both)])

    report = run_import("kaigo", [kaigo_file([kaigo_row()])], full=True)

    assert report.missing == 1
    gone = Facility.objects.get(care_office_number="0291000002")
    assert gone.missing_from_source_at is not None and gone.status == "active"
    assert Facility.objects.get(care_office_number="0291000001").missing_from_source_at is None
    page = client.get(f"/facilities/{gone.pk}/").content.decode()
    assert "要確認（公表データに無し）" in page
    search = client.get("/facilities/", {"q": "閉じた"}).content.decode()
    assert "要確認（公表データに無し）" in search

    run_import("kaigo", [kaigo_file(both)], full=True)

    gone.refresh_from_db()
    assert gone.missing_from_source_at is None


def test_public_pages_mark_entries_past_due(client, db):
    fresh = make_facility("新しい確認", "", "clinic", "022039", verified_at=datetime.now(UTC))
    stale = make_facility("古い確認", "", "clinic", "022039", verified_at=datetime(2020, 1, 1, tzinfo=UTC))
    never = make_facility("未確認の診療所", "", "clinic", "022039")

    assert "要確認" not in client.get(f"/facilities/{fresh.pk}/").content.decode()
    stale_page = client.get(f"/facilities/{stale.pk}/").content.decode()
    assert "要確認" in stale_page and "2020年1月1日" in stale_page
    assert "要確認" in client.get(f"/facilities/{never.pk}/").content.decode()
    cards = client.get("/facilities/", {"category": "clinic"}).content.decode()
    assert cards.count('class="badge badge--stale"') == 2
