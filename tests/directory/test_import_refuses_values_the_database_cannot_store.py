"""Values PostgreSQL would refuse (a NUL byte, text longer than its column) are found while the
file is read: a Japanese error with the row and the column, nothing written — the same on SQLite
and PostgreSQL. A 500 / traceback must never be what a person sees."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from django.db import connection

from renkei.core.formats import normalize_phone
from renkei.directory.importers import InputFile, run_import
from renkei.directory.importers.cells import FieldError
from renkei.directory.importers.records import Record
from renkei.directory.importers.report import ImportReport
from renkei.directory.importers.run import execute
from renkei.directory.importers.writer import Writer
from renkei.directory.models import Facility
from tests.directory.conftest import kaigo_file, kaigo_row, template_file


def test_a_nul_byte_in_an_office_name_is_an_error_on_its_line_and_column(db):
    rows = [kaigo_row(), kaigo_row(事業所番号="0291000002", 事業所名="壊れた\x00事業所")]

    report = run_import("kaigo", [kaigo_file(rows)])

    assert not report.refused and not report.written
    assert [(e.row, e.column) for e in report.errors] == [(3, "事業所名")]
    assert report.errors[0].message.startswith("制御文字（NUL）が含まれています。")
    assert Facility.objects.count() == 0


def test_with_skip_invalid_the_row_with_a_nul_byte_is_left_out_and_the_rest_imported(db):
    rows = [kaigo_row(), kaigo_row(事業所番号="0291000002", 事業所名="壊れた\x00事業所")]

    report = run_import("kaigo", [kaigo_file(rows)], skip_invalid=True)

    assert report.written and (report.added, report.rejected) == (1, 1)
    assert list(Facility.objects.values_list("care_office_number", flat=True)) == ["0291000001"]


def test_an_escape_character_in_a_template_cell_is_an_error_too(db):
    report = run_import("renkei", [template_file([["kayoi-1", "通いの場", "長根\x1bサロン", "", "八戸市"]])])

    assert [(e.row, e.column) for e in report.errors] == [(3, "名称")]
    assert "制御文字（U+001B）" in report.errors[0].message
    assert Facility.objects.count() == 0


def test_a_c1_control_character_is_an_error_as_in_every_other_text_of_renkei(db):
    # U+0085 (NEL) and the rest of C1 are debris of a file decoded with the wrong code page.
    rows = [kaigo_row(), kaigo_row(事業所番号="0291000002", 住所="五戸町\x85字古舘")]

    report = run_import("kaigo", [kaigo_file(rows)])

    assert not report.written
    assert [(e.row, e.column) for e in report.errors] == [(3, "住所")]
    assert "制御文字（U+0085）" in report.errors[0].message
    assert Facility.objects.count() == 0


def test_an_over_long_file_name_is_shortened_where_it_is_kept(db):
    long_name = "五戸町_" + "あ" * 300 + "_jigyosho_130.csv"

    report = run_import("kaigo", [kaigo_file([kaigo_row()], name=long_name)])

    assert report.written and report.added == 1
    stored = Facility.objects.get().source_file
    assert len(stored) == 255
    assert stored.startswith("五戸町_あああ") and stored.endswith("あああ_jigyosho_130.csv")
    assert "…" in stored


def test_an_over_long_zip_member_name_is_shortened_too(db):
    from tests.directory.conftest import IRYO_FILES

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in IRYO_FILES:
            archive.writestr("x" * 200 + "_" + path.name, path.read_bytes())
    report = run_import("iryo", [InputFile.from_bytes("y" * 100 + ".zip", buffer.getvalue())])

    assert report.written, (report.refused, report.errors[:3])
    assert max(len(name) for name in Facility.objects.values_list("source_file", flat=True)) == 255


@pytest.mark.parametrize("raw", ["0-9-0-1-2-3-4-5-6-7-8", "0178-2-2-1234", "(0178)(22)(12)(34)"])
def test_a_phone_number_cut_into_many_pieces_is_not_a_phone_number(raw):
    with pytest.raises(FieldError, match="電話番号として読めません"):
        normalize_phone(raw)


def test_an_absurd_phone_in_an_official_file_is_left_out_with_a_warning(db):
    report = run_import("kaigo", [kaigo_file([kaigo_row(電話番号="0-9-0-1-2-3-4-5-6-7-8")])])

    assert report.written and report.added == 1
    assert [(w.row, w.column) for w in report.warnings] == [(2, "電話番号")]
    assert Facility.objects.get().phone == ""


def test_an_absurd_phone_in_the_template_is_an_error(db):
    row = ["kayoi-1", "通いの場", "長根サロン", "", "八戸市", "", "", "", "", "0-9-0-1-2-3-4-5-6-7-8"]

    report = run_import("renkei", [template_file([row])])

    assert [(e.row, e.column) for e in report.errors] == [(3, "電話番号")]
    assert Facility.objects.count() == 0


def test_an_over_long_value_in_the_template_is_an_error_not_cut_silently(db):
    row = ["kayoi-1", "通いの場", "長" * 201, "", "八戸市"]
    row += [""] * 1  # 郵便番号
    row += ["八戸市" + "一" * 300]  # 所在地

    report = run_import("renkei", [template_file([row])])

    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "名称", "名称が長すぎます（200文字まで、この行は201文字）。"),
        (3, "所在地", "所在地が長すぎます（300文字まで、この行は303文字）。"),
    ]
    assert Facility.objects.count() == 0


class _UncheckedImporter:
    """Records that skipped every check of the parse step, as a future importer's bug might make."""

    format = "kaigo"
    key_field = "care_office_number"

    def __init__(self, gonohe):
        self.gonohe = gonohe

    def parse(self, files, scope, report: ImportReport):
        return [
            Record(
                key_field="care_office_number",
                key="0291000009",
                municipality=self.gonohe,
                values={"name": "電話番号の長すぎる事業所", "phone": "0" * 40},
                source_file="x.csv",
                source_row=2,
                services={"130": (None, "")},
            )
        ]

    def writer(self, report):
        return Writer(
            source=Facility.Source.KAIGO,
            report=report,
            carried_fields=("name", "phone"),
            with_services=True,
            covered_services={"130"},
        )


def test_a_value_postgresql_refuses_anyway_ends_in_a_japanese_refusal_and_nothing_kept(db, gonohe):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite stores over-long text; only PostgreSQL refuses it")

    report = execute(_UncheckedImporter(gonohe), [])

    assert not report.written
    assert report.refused.startswith("データベースに保存できない値（長すぎる値や使えない文字）があったため")
    assert Facility.objects.count() == 0
