"""Every CSV and Excel export of Renkei (kept with the consultations tests for their fixtures), fed text typed like formulas, writes no formula: a text cell
never starts with =, +, -, @, tab or CR (OWASP "CSV injection"), and numbers stay numbers."""

from __future__ import annotations

import csv
import io

import time_machine
from openpyxl import load_workbook

from renkei.consultations.models import ConsultationCategory
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, Organization, User
from renkei.core.spreadsheet import append_row, csv_bytes, new_workbook, workbook_bytes
from renkei.directory.importers import run_import, write_rejected_csv
from renkei.directory.importers.renkei_template import template_csv, template_xlsx
from renkei.freshness.services.dashboard import overdue_workbook
from renkei.sharing.services.access_log import export_rows
from tests.conftest import make_user
from tests.consultations.conftest import make_consultation, tokyo
from tests.core.totp import verified_login
from tests.directory.conftest import kaigo_file, kaigo_row
from tests.directory.search_fixtures import make_facility

HOSTILE = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cells(data: bytes | str) -> list[str]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_csv_has_no_formula(data: bytes | str) -> list[str]:
    cells = csv_cells(data)
    assert [cell for cell in cells if cell.startswith(FORMULA_STARTS)] == []
    return cells


def assert_workbook_has_no_formula(data: bytes) -> list[object]:
    values = []
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), (sheet.title, cell.coordinate)
                values.append(cell.value)
    return values


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_the_consultation_exports_write_hostile_text_as_text(client, dan, gonohe_desk, region):
    gonohe_desk.name = HOSTILE[0]
    gonohe_desk.save()
    category = ConsultationCategory.objects.create(region=region, name=HOSTILE[1])
    for index, text in enumerate(HOSTILE):
        make_consultation(
            gonohe_desk,
            tokyo(2024, 5, 1 + index, 9, 0),
            categories=[category],
            requester_institution=text,
            referred_institution=text,
            summary=text,
            staff_name=text,
        )
    verified_login(client, dan)
    for url in ["/consultations/statistics.xlsx", "/consultations/import/template.xlsx"]:
        response = client.get(url, {"fiscal_year": 2024})
        assert response.status_code == 200, url
        assert_workbook_has_no_formula(response.content)
    for url in [
        "/consultations/statistics.csv",
        "/consultations/records.csv",
        "/consultations/import/template.csv",
    ]:
        response = client.get(url, {"fiscal_year": 2024})
        assert response.status_code == 200, url
        assert_csv_has_no_formula(response.content)
    records = csv_cells(client.get("/consultations/records.csv").content)
    assert "'" + HOSTILE[1] in records  # the category name, as typed behind the apostrophe


def test_the_overdue_list_writes_facility_names_phones_and_addresses_as_text(bob, gonohe):
    for index, text in enumerate(HOSTILE):
        make_facility(
            text,
            "",
            "clinic",
            gonohe.code,
            phone=text[:20],
            address=text,
            care_office_number=f"02910000{index:02}",
        )
    buffer = io.BytesIO()
    overdue_workbook(bob).save(buffer)
    values = assert_workbook_has_no_formula(buffer.getvalue())
    assert "'" + HOSTILE[0] in values


def test_the_access_log_export_writes_names_as_text(hachinohe):
    organization = Organization.objects.create(
        name=HOSTILE[1], kind=Organization.Kind.CLINIC, municipality=hachinohe
    )
    mallory = make_user("mallory", organization, User.Role.PROFESSIONAL, full_name=HOSTILE[0])
    record_access(mallory, action=AccessLog.Action.VIEW, subject_type="patient", subject_id=1)
    cells = assert_csv_has_no_formula("".join(export_rows(AccessLog.objects.all())))
    assert "'" + HOSTILE[0] in cells


def test_the_rejected_rows_and_the_templates_of_the_facility_import_hold_no_formula(db, tmp_path):
    rows = [kaigo_row(事業所番号=text, 事業所名=text, 住所=text) for text in HOSTILE]
    report = run_import("kaigo", [kaigo_file(rows)], skip_invalid=True)
    out = tmp_path / "rejected.csv"
    assert write_rejected_csv(report, out) == len(HOSTILE)
    assert_csv_has_no_formula(out.read_bytes())
    assert_csv_has_no_formula(template_csv())
    assert_workbook_has_no_formula(template_xlsx())


def test_numbers_stay_numbers_and_only_text_is_neutralised():
    assert csv_cells(csv_bytes([[-5, "-5", 1.5, "=A1", "普通の名前"]])) == [
        "-5",
        "'-5",
        "1.5",
        "'=A1",
        "普通の名前",
    ]
    workbook, sheet = new_workbook("表")
    append_row(sheet, [-5, "-5", "=A1"])
    cells = next(load_workbook(io.BytesIO(workbook_bytes(workbook))).active.iter_rows())
    assert [(cell.value, cell.data_type) for cell in cells] == [(-5, "n"), ("'-5", "s"), ("'=A1", "s")]


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_exported_records_with_formula_like_text_import_again_unchanged(
    client, dan, gonohe_desk, erin, region
):
    from renkei.consultations.models import Consultation
    from tests.consultations.test_import import upload

    category = ConsultationCategory.objects.create(region=region, name="=その他の区分")
    make_consultation(
        gonohe_desk, tokyo(2024, 5, 1, 9, 0), categories=[category], summary="-2+3 の件", staff_name="@担当"
    )
    verified_login(client, dan)
    exported = client.get("/consultations/records.csv").content
    Consultation.objects.all().delete()
    assert upload(client, "again.csv", exported).status_code == 302
    again = Consultation.objects.get()
    assert (again.summary, again.staff_name, [c.name for c in again.categories.all()]) == (
        "-2+3 の件",
        "@担当",
        ["=その他の区分"],
    )
