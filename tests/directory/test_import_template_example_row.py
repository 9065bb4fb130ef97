"""The downloadable template carries one example row, marked 「記入例」 in its first column. People
leave it in place and add their rows below: the example is never imported, and the report says so."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from renkei.directory.importers import InputFile, run_import
from renkei.directory.importers.renkei_template import template_csv, template_xlsx
from renkei.directory.models import Facility
from tests.directory.conftest import template_file

GONOHE_ROW = ["gonohe-kayoi-001", "通いの場", "五戸町ふれあいサロン", "", "五戸町"]


def test_the_example_row_is_marked_as_an_example_in_both_templates():
    workbook = load_workbook(io.BytesIO(template_xlsx()))
    sheet = workbook["取込データ"]
    assert [cell.value for cell in sheet[1]][:3] == ["独自コード", "種別", "名称"]
    assert (sheet["A2"].value, sheet["C2"].value) == ("記入例", "サンプル長根いきいきサロン")

    lines = template_csv().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("独自コード,種別,名称,")
    assert lines[1].startswith("記入例,通いの場,サンプル長根いきいきサロン,")


def test_gonohe_staff_importing_rows_below_the_example_get_their_rows_only(db, bob):
    from renkei.core import permissions

    report = run_import(
        "renkei",
        [template_file([GONOHE_ROW])],
        allowed_municipalities=permissions.managed_municipalities(bob),
    )

    assert report.written and (report.added, report.rejected, report.error_count) == (1, 0, 0)
    assert [(w.row, w.column, w.message) for w in report.warnings] == [
        (2, "独自コード", "記入例の行のため取り込みませんでした（この行は消しても残しても構いません）。")
    ]
    assert list(Facility.objects.values_list("name", flat=True)) == ["五戸町ふれあいサロン"]


def test_hachinohe_staff_importing_the_untouched_template_get_no_sample_facility(db):
    for name, content in (("template.csv", template_csv()), ("template.xlsx", template_xlsx())):
        report = run_import("renkei", [InputFile.from_bytes(name, content)])

        assert report.written and (report.added, report.rows) == (0, 0)
        assert [w.row for w in report.warnings] == [2]
    assert Facility.objects.count() == 0


def test_the_example_row_of_a_template_downloaded_before_it_was_marked_is_skipped_too(db):
    old_example = ["hachinohe-kayoi-001", "通いの場", "サンプル長根いきいきサロン", "", "八戸市"]

    report = run_import("renkei", [template_file([old_example, GONOHE_ROW], with_example=False)])

    assert (report.added, report.error_count) == (1, 0)
    assert [w.row for w in report.warnings] == [2]
    assert not Facility.objects.filter(name="サンプル長根いきいきサロン").exists()
