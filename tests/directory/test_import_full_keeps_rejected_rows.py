"""--skip-invalid --full: a row left out for a mistake still names a facility that is in the file.
It is not 「一覧にない」, and the service on that row is not removed from its office."""

from __future__ import annotations

import csv
import io

from renkei.directory.importers import InputFile, run_import
from renkei.directory.models import Facility, FacilityService
from tests.directory.conftest import IRYO_FILES, kaigo_file, kaigo_row, template_file

NURSE = {"サービスの種類": "訪問看護"}
DAY = {"サービスの種類": "通所介護"}


def _services(office_number: str) -> list[str]:
    return sorted(
        FacilityService.objects.filter(facility__care_office_number=office_number).values_list(
            "code", flat=True
        )
    )


def test_a_facility_whose_row_has_a_typo_is_not_marked_missing(db):
    run_import("kaigo", [kaigo_file([kaigo_row(), kaigo_row(事業所番号="0291000002", 事業所名="二番目")])])

    rows = [kaigo_row(), kaigo_row(事業所番号="0291000002", 事業所名="二番目", 緯度="abc")]
    report = run_import("kaigo", [kaigo_file(rows)], skip_invalid=True, full=True)

    assert report.written and (report.rejected, report.missing) == (1, 0)
    assert report.missing_facilities == []
    assert not Facility.objects.filter(missing_from_source_at__isnull=False).exists()


def test_a_rejected_service_row_does_not_remove_that_service_from_its_office(db):
    first = [
        kaigo_row(**NURSE),
        kaigo_row(**DAY, 定員="20"),
        kaigo_row(**DAY, 事業所番号="0291000002", 事業所名="よそのデイ", 定員="30"),
    ]
    run_import("kaigo", [kaigo_file(first, name="jigyosho_all.csv")])
    assert _services("0291000001") == ["130", "150"]

    again = [
        kaigo_row(**NURSE),
        kaigo_row(**DAY, 定員="abc"),
        kaigo_row(**DAY, 事業所番号="0291000002", 事業所名="よそのデイ", 定員="30"),
    ]
    report = run_import("kaigo", [kaigo_file(again, name="jigyosho_all.csv")], skip_invalid=True, full=True)

    assert report.written and (report.rejected, report.missing) == (1, 0)
    assert _services("0291000001") == ["130", "150"]
    day = FacilityService.objects.get(facility__care_office_number="0291000001", code="150")
    assert day.capacity == 20  # left as it was


def test_a_service_that_really_left_the_file_is_still_removed(db):
    first = [kaigo_row(**NURSE), kaigo_row(**DAY), kaigo_row(**DAY, 事業所番号="0291000002")]
    run_import("kaigo", [kaigo_file(first, name="jigyosho_all.csv")])

    again = [kaigo_row(**NURSE), kaigo_row(**DAY, 事業所番号="0291000002")]
    report = run_import("kaigo", [kaigo_file(again, name="jigyosho_all.csv")], skip_invalid=True, full=True)

    assert (report.updated, report.rejected) == (1, 0)
    assert _services("0291000001") == ["130"]


def test_a_hospital_whose_row_has_a_typo_is_not_marked_missing(db):
    run_import("iryo", IRYO_FILES)
    facility_file = next(path for path in IRYO_FILES if "facility_info" in path.name)
    rows = list(csv.reader(io.StringIO(facility_file.read_bytes().decode("utf-8-sig"))))
    rows[1][rows[0].index("合計病床数")] = "たくさん"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    broken = InputFile.from_bytes(facility_file.name, buffer.getvalue().encode("utf-8"))
    others = [path for path in IRYO_FILES if path != facility_file]

    report = run_import("iryo", [broken, *others], skip_invalid=True, full=True)

    assert report.written and (report.rejected, report.missing) == (1, 0)
    assert not Facility.objects.filter(missing_from_source_at__isnull=False).exists()


def test_a_template_row_with_a_typo_is_not_marked_missing(db):
    rows = [
        ["kayoi-1", "通いの場", "一つ目のサロン", "", "八戸市"],
        ["kayoi-2", "通いの場", "二つ目のサロン", "", "八戸市"],
    ]
    run_import("renkei", [template_file(rows)])

    rows[1].append("郵便番号でない")  # 郵便番号, the 6th column
    report = run_import("renkei", [template_file(rows)], skip_invalid=True, full=True)

    assert report.written and (report.rejected, report.missing) == (1, 0)
    assert not Facility.objects.filter(missing_from_source_at__isnull=False).exists()


def test_a_rejected_row_whose_service_cannot_be_read_leaves_all_services_of_its_office(db):
    first = [kaigo_row(**NURSE), kaigo_row(**DAY), kaigo_row(**DAY, 事業所番号="0291000002")]
    run_import("kaigo", [kaigo_file(first, name="jigyosho_all.csv")])

    again = [
        kaigo_row(**NURSE),
        kaigo_row(サービスの種類="通所かいご"),  # a typo: which service this row meant is unknown
        kaigo_row(**DAY, 事業所番号="0291000002"),
    ]
    report = run_import("kaigo", [kaigo_file(again, name="jigyosho_all.csv")], skip_invalid=True, full=True)

    assert (report.rejected, report.missing) == (1, 0)
    assert _services("0291000001") == ["130", "150"]
