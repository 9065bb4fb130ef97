from __future__ import annotations

import io
from collections import Counter

from openpyxl import load_workbook

from renkei.directory.importers import InputFile, run_import
from renkei.directory.importers.renkei_template import HEADINGS, template_csv, template_xlsx
from renkei.directory.models import Facility
from tests.directory.conftest import (
    CAPABILITIES_SAMPLE,
    IRYO_FILES,
    KAIGO_SAMPLE,
    RESOURCES_SAMPLE,
    csv_bytes,
)


def test_the_resource_sample_adds_62_community_resources_in_all_eight_municipalities(db):
    report = run_import("renkei", [RESOURCES_SAMPLE])

    assert report.written and report.errors == [] and report.warnings == []
    assert report.added == 62
    assert Counter(Facility.objects.values_list("category", flat=True)) == {
        "gathering_place": 32,
        "informal_service": 18,
        "community_support_center": 8,
        "pharmacy": 4,
    }
    assert Facility.objects.values("municipality").distinct().count() == 8
    center = Facility.objects.get(local_code="sample-024503-hokatsu")
    assert center.name == "サンプル新郷村地域包括支援センター"
    assert (center.latitude, center.longitude) == (40.453328, 141.112886)  # 大字戸来
    assert center.dementia_care is True
    assert center.house_call is None  # empty cell = unknown, not false
    assert center.acceptance_status == "accepting"


def test_capabilities_enrich_official_records_and_survive_their_reimport(db):
    run_import("kaigo", [KAIGO_SAMPLE])
    run_import("iryo", IRYO_FILES)

    report = run_import("renkei", [CAPABILITIES_SAMPLE])

    assert (report.added, report.updated) == (0, 51)
    hospital = Facility.objects.get(medical_institution_id="0210100000000")
    # Row 2 of the capabilities sample: 往診 ○, 訪問診療 ○, 24時間対応 ×, 腹膜透析 empty.
    assert (hospital.house_call, hospital.home_visit_care, hospital.round_the_clock) == (True, True, False)
    assert hospital.peritoneal_dialysis is None
    assert hospital.acceptance_status == "accepting"
    assert str(hospital.acceptance_stated_at) == "2026-06-10"
    assert hospital.liaison_contact == "地域連携室"
    # The template's 名称 column does not overwrite the official name, nor the source.
    assert (hospital.name, hospital.source) == ("長根二丁目さくら病院", "iryo")

    again = run_import("iryo", IRYO_FILES)
    assert again.unchanged == 118
    hospital.refresh_from_db()
    assert (hospital.house_call, hospital.acceptance_status) == (True, "accepting")


def test_the_example_row_copied_with_a_code_of_its_own_imports_as_written(db):
    # The example shows a valid row: given a real 独自コード in place of 「記入例」, it imports.
    for name, content in (("template.csv", template_csv()), ("template.xlsx", template_xlsx())):
        Facility.objects.all().delete()
        if name.endswith(".csv"):
            content = content.replace("記入例,".encode(), b"hachinohe-kayoi-101,", 1)
        else:
            workbook = load_workbook(io.BytesIO(content))
            workbook["取込データ"]["A2"] = "hachinohe-kayoi-101"
            buffer = io.BytesIO()
            workbook.save(buffer)
            content = buffer.getvalue()
        report = run_import("renkei", [InputFile.from_bytes(name, content)])
        assert report.added == 1, report.errors
        facility = Facility.objects.get(local_code="hachinohe-kayoi-101")
        assert (facility.category, facility.municipality.name, facility.dementia_care) == (
            "gathering_place",
            "八戸市",
            True,
        )
        assert facility.acceptance_stated_at.isoformat() == "2026-05-01"


def test_a_capability_that_is_not_a_mark_is_an_error_with_its_row_and_column(db):
    row = dict(zip(HEADINGS, ["x-1", "通いの場", "サンプル会", "", "八戸市"], strict=False))
    row["往診"] = "たぶん"
    report = run_import("renkei", [InputFile.from_bytes("t.csv", csv_bytes(HEADINGS, [row]))])

    assert not report.written
    assert [(e.row, e.column) for e in report.errors] == [(2, "往診")]
    assert "○（あり）・×（なし）・空欄（不明）" in report.errors[0].message
    assert Facility.objects.count() == 0


def test_an_official_code_that_matches_nothing_needs_name_category_and_municipality(db):
    header = ["介護保険事業所番号", "名称", "24時間対応"]
    report = run_import(
        "renkei",
        [
            InputFile.from_bytes(
                "t.csv", csv_bytes(header, [{"介護保険事業所番号": "0299999999", "24時間対応": "○"}])
            )
        ],
    )
    assert "新しく登録するには名称・種別・市町村" in report.errors[0].message
    assert Facility.objects.count() == 0


def test_municipality_staff_cannot_enrich_a_facility_of_another_municipality(db, gonohe):
    run_import("iryo", IRYO_FILES)
    header = ["医療機関ID", "名称", "訪問診療"]
    rows = [
        {"医療機関ID": "0210100000000", "訪問診療": "○"},  # a 八戸市 hospital
    ]
    report = run_import(
        "renkei",
        [InputFile.from_bytes("t.csv", csv_bytes(header, rows))],
        allowed_municipalities=[gonohe],
    )

    assert not report.written
    assert (
        report.errors[0].message == "八戸市の施設です。取り込めるのは、あなたが担当する市町村の施設だけです。"
    )
    assert Facility.objects.get(medical_institution_id="0210100000000").home_visit_care is None
