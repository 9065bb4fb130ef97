"""``renkei reports import-seed``: the seed as the 八戸 region's survey as of 2021-12-31, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renkei.reports.items import Item
from renkei.reports.models import ActivityEntry, ReportedFigure, ReportRound
from renkei.reports.seed_data import shipped_text
from renkei.reports.services import entries

SEED_NAME = "000_3fb9e6b98f5537bf.txt"


@pytest.fixture
def seed_file(tmp_path):
    path = tmp_path / SEED_NAME
    path.write_text(shipped_text(), encoding="utf-8")
    return path


def _import(seed_file) -> str:
    out = StringIO()
    call_command(
        "reports", "import-seed", str(seed_file), "--region", "hachinohe", "--as-of", "2021-12-31", stdout=out
    )
    return out.getvalue()


def test_import_then_again_adds_nothing(region, seed_file):
    output = _import(seed_file)
    assert "八戸地域保健医療圏域 Ｒ3.12.末日時点: 新規 56件" in output
    report_round = ReportRound.objects.get(region=region, as_of="2021-12-31")
    assert report_round.source == SEED_NAME
    assert report_round.entries.count() == 56
    assert set(report_round.entries.values_list("status", flat=True)) == {"submitted"}
    history_rows = ActivityEntry.history.count()
    figures = list(ReportedFigure.objects.values_list("municipality__name", "key", "value").order_by("pk"))

    assert "新規 0件、変更なし 56件" in _import(seed_file)
    assert report_round.entries.count() == 56
    assert ActivityEntry.history.count() == history_rows
    assert (
        list(ReportedFigure.objects.values_list("municipality__name", "key", "value").order_by("pk"))
        == figures
    )


def test_cells_and_reported_figures_are_stored(region, seed_file):
    _import(seed_file)
    entry = ActivityEntry.objects.get(municipality__name="五戸町", item=Item.I, round__as_of="2021-12-31")
    assert entry.issues == "・薬剤師のマンパワー不足。"
    assert entry.requests == "・モデル事業対象者の選定のための情報提供を五戸総合病院連携室、薬局へも依頼"
    unplaced = ActivityEntry.objects.get(municipality__name="田子町", item=Item.A)
    assert unplaced.unclassified.endswith("\n・マップの定期更新")
    figures = {
        (name, key): value
        for name, key, value in ReportedFigure.objects.values_list("municipality__name", "key", "value")
    }
    assert figures == {
        ("八戸市", "consultations_general"): 17,
        ("八戸市", "consultations_agencies"): 12,
        ("八戸市", "consultations_total"): 29,
        ("おいらせ町", "consultations_general"): 36,
        ("おいらせ町", "consultations_agencies"): 48,
        ("三戸町", "consultations_general"): 169,
        ("三戸町", "consultations_agencies"): 84,
        ("田子町", "consultations_general"): 124,
        ("田子町", "consultations_agencies"): 83,
        ("南部町", "consultations_total"): 37,
        ("新郷村", "consultations_general"): 3,
        ("新郷村", "consultations_agencies"): 1,
        ("新郷村", "consultations_total"): 4,
    }
    quoted = ReportedFigure.objects.get(municipality__name="田子町", key="consultations_general").quoted
    assert quoted == "相談・調整件数：一般住民124件、支援機関83件"


def test_an_answer_edited_after_the_import_is_not_overwritten(region, seed_file, alice, shingo_staff):
    _import(seed_file)
    entry = ActivityEntry.objects.get(municipality__code="024503", item=Item.A)
    entry = entries.review_entry(alice, entry, accept=False, comment="更新してください")
    entries.save_entry(shingo_staff, entry, entries.EntryInput(activities="・マップを更新（R6.4月）"))
    err = StringIO()
    call_command(
        "reports", "import-seed", str(seed_file), "--region", "hachinohe", "--as-of", "2021-12-31",
        stdout=StringIO(), stderr=err,
    )  # fmt: skip
    assert "新郷村 旧ア: 取込後に編集されているため上書きしませんでした。" in err.getvalue()
    entry.refresh_from_db()
    assert entry.activities == "・マップを更新（R6.4月）"


def test_the_administrator_may_not_confirm_while_text_is_unplaced(region, seed_file, alice):
    from renkei.reports.services.rules import ReportError

    _import(seed_file)
    entry = ActivityEntry.objects.get(municipality__name="田子町", item=Item.A)
    with pytest.raises(ReportError, match="未分類"):
        entries.review_entry(alice, entry, accept=True)


def test_bad_arguments_are_refused_in_japanese(region, seed_file, tmp_path):
    with pytest.raises(CommandError, match="圏域「nowhere」"):
        call_command("reports", "import-seed", str(seed_file), "--region", "nowhere", "--as-of", "2021-12-31")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("reports", "import-seed", str(seed_file), "--region", "hachinohe", "--as-of", "R3.12")
    other = tmp_path / "other.txt"
    other.write_text("ただの文章", encoding="utf-8")
    with pytest.raises(CommandError, match="見つかりません"):
        call_command("reports", "import-seed", str(other), "--region", "hachinohe", "--as-of", "2021-12-31")


def test_load_demo_imports_the_seed_and_opens_this_years_survey(region):
    out = StringIO()
    from renkei.reports import demo

    demo.load(out)
    demo.load(out)
    assert ReportRound.objects.filter(region=region).count() == 2
    seed_round = ReportRound.objects.get(region=region, as_of="2021-12-31")
    assert seed_round.source.startswith("資料６－２「在宅医療・介護連携推進事業に係る市町村の取組について」")
    assert seed_round.entries.count() == 56
