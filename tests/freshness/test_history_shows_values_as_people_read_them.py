"""変更履歴 and the review of a change show what people read: 受入可/要相談, ○/×/不明, names,
dates in Japanese time, never the stored codes, ids or UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime

from renkei.directory.display import display_value
from tests.directory.search_fixtures import make_facility


def test_the_history_of_a_staff_edit_names_choices_and_capabilities_in_japanese(client, bob):
    facility = make_facility(
        "五戸ナースステーション", "", "visiting_nurse_station", "024422",
        acceptance_status="accepting", round_the_clock=True, house_call=None,
    )  # fmt: skip
    client.force_login(bob)
    form = client.get(f"/facilities/{facility.pk}/edit/").context["form"]
    data = {
        name: ("" if value is None else value) for name, value in form.initial.items() if name != "services"
    }
    data.update(
        municipality=facility.municipality_id, acceptance_status="consult", round_the_clock="false",
        house_call="true", acceptance_stated_at="2026-11-30",
    )  # fmt: skip
    assert client.post(f"/facilities/{facility.pk}/edit/", data).status_code == 302

    newest = client.get(f"/staff/directory/facilities/{facility.pk}/history/").content.decode()
    newest = newest.split('data-testid="version"')[1]
    assert "五戸 ボブ" in newest
    assert "<td>受入可</td><td>要相談</td>" in newest
    assert "<td>○</td><td>×</td>" in newest  # 24時間対応
    assert "<td>不明</td><td>○</td>" in newest  # 往診
    assert "2026年11月30日" in newest
    for code in ("accepting", "consult", "True", "False", "None", "+00:00"):
        assert code not in newest


def test_times_are_in_japan_and_people_are_named(bob):
    assert display_value("verified_at", datetime(2026, 12, 3, 15, 30, tzinfo=UTC)) == "2026年12月4日 00:30"
    assert display_value("verified_at", "2026-12-03T15:30:00+00:00") == "2026年12月4日 00:30"
    assert display_value("verified_by", bob.pk) == "五戸 ボブ"
    assert display_value("verified_via", "staff") == "職員の編集"
    assert display_value("specialties", ["内科", "小児科"]) == "内科、小児科"
    assert display_value("category", "clinic") == "診療所"
