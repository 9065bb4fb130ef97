"""A staff member who opens the edit form and saves it untouched has changed nothing: the history
says so rather than listing 営業日・診療時間 (a textarea sends its lines back with CR LF)."""

from __future__ import annotations

from tests.directory.search_fixtures import make_facility


def test_saving_the_staff_form_untouched_lists_no_changed_field(client, bob):
    facility = make_facility(
        "五戸ナースステーション", "", "visiting_nurse_station", "024422",
        opening_hours="月〜金 9:00〜17:00\n土 9:00〜12:00", description="訪問看護を行います。\n24時間対応です。",
    )  # fmt: skip
    client.force_login(bob)
    form = client.get(f"/facilities/{facility.pk}/edit/").context["form"]
    data = {
        name: ("" if value is None else value) for name, value in form.initial.items() if name != "services"
    }
    # What a browser sends back from a textarea: every line break as CR LF.
    data = {
        name: value.replace("\n", "\r\n") if isinstance(value, str) else value for name, value in data.items()
    }
    data.update(municipality=facility.municipality_id)
    assert client.post(f"/facilities/{facility.pk}/edit/", data).status_code == 302

    facility.refresh_from_db()
    assert facility.opening_hours == "月〜金 9:00〜17:00\n土 9:00〜12:00"
    html = client.get(f"/staff/directory/facilities/{facility.pk}/history/").content.decode()
    newest = html.split('data-testid="version"')[1]
    assert "職員が編集" in newest
    assert "営業日・診療時間" not in newest and "<table" not in newest
    assert "表示する項目の変更はありません" in newest
