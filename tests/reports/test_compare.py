"""Comparing a survey with the previous one, per municipality and item."""

from __future__ import annotations

from datetime import date

from renkei.reports.items import Item
from renkei.reports.models import ActivityEntry
from renkei.reports.seed_data import shipped_text
from renkei.reports.services import compare, entries
from renkei.reports.services.importing import import_seed


def test_what_changed_since_the_previous_survey(client, region, alice, bob):
    seed = import_seed(None, region, date(2021, 12, 31), shipped_text(), source="seed").report_round
    current = entries.open_round(alice, region, date(2024, 12, 31))
    entry = ActivityEntry.objects.get(round=current, municipality__code="024422", item=Item.A)
    entries.save_entry(bob, entry, entries.EntryInput(activities="・R6年度版サービスマップを配布した。"))
    rows = compare.compare(current, Item.A, compare.previous_round(current))
    assert [row.municipality for row in rows if row.changed] == ["五戸町"]
    gonohe = next(row for row in rows if row.municipality == "五戸町")
    assert [column.changed for column in gonohe.columns] == [True, False, False]
    assert gonohe.columns[0].before.startswith("・R3年度版サービスマップ改訂のため")
    assert gonohe.columns[0].after == "・R6年度版サービスマップを配布した。"
    assert compare.previous_round(seed) is None

    client.force_login(alice)
    page = client.get(f"/reports/{current.pk}/compare/?item=a").content.decode()
    assert page.count('<span class="badge">変更あり</span>') == 2  # the municipality and its column
    assert "・R6年度版サービスマップを配布した。" in page and "Ｒ3.12.末日時点（前回）" in page
    assert "前回の調査はありません" not in page
    assert "この調査より前の調査はありません。" in client.get(f"/reports/{seed.pk}/compare/").content.decode()
