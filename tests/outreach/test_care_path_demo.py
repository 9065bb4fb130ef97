"""The demo's 認知症ケアパス: published for 八戸市 and 南部町, every cell written, entries from the demo
directory, and nothing doubled when the demo is loaded again."""

from __future__ import annotations

from io import StringIO

from renkei.core import demo as core_demo
from renkei.directory import demo as directory_demo
from renkei.outreach import demo as outreach_demo
from renkei.outreach.models import CarePathCell, CarePathEntry, DementiaCarePath


def test_the_demo_publishes_care_paths_for_hachinohe_and_nanbu_once(db):
    for module in (core_demo, directory_demo, outreach_demo):
        module.load(StringIO())
    paths = DementiaCarePath.objects.order_by("municipality__code")
    assert [(p.municipality.name, p.published) for p in paths] == [("八戸市", True), ("南部町", True)]
    hachinohe = paths[0]
    consult = hachinohe.cells.get(stage="awareness", kind="consultation")
    assert consult.text == "もの忘れが気になったら、まず地域包括支援センターへ。相談は無料です。"
    assert [e.facility.name for e in consult.entries.all()] == ["サンプル八戸市地域包括支援センター"]
    cafe = hachinohe.cells.get(stage="awareness", kind="family").entries.get().facility
    assert "認知症カフェ" in cafe.name and cafe.municipality.name == "八戸市"
    assert hachinohe.cells.get(stage="middle", kind="housing").entries.get().facility.category == "group_home"
    assert hachinohe.cells.exclude(text="").count() == 29  # all but 終末期・生活支援
    cells, entries = CarePathCell.objects.count(), CarePathEntry.objects.count()

    outreach_demo.load(StringIO())
    assert DementiaCarePath.objects.count() == 2
    assert (CarePathCell.objects.count(), CarePathEntry.objects.count()) == (cells, entries)
