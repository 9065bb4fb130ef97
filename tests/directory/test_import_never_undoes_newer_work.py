"""An import never silently undoes newer work: the check lists each facility and field that will change
(old → new), and a row that would overwrite what was confirmed or edited after its file was made (or
after the facility's last import, for a CSV that carries no date) is flagged and left unchanged unless
「新しい変更も上書きする」 is ticked."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from renkei.directory.importers import InputFile, run_import
from renkei.directory.models import Facility
from renkei.directory.services import save_facility
from tests.directory.conftest import KAIGO_HEADER, csv_bytes, kaigo_file, kaigo_row


def _imported_station(phone: str = "0178-62-0001") -> Facility:
    report = run_import("kaigo", [kaigo_file([kaigo_row(電話番号=phone)])])
    assert report.written and report.added == 1
    return Facility.objects.get()


def _staff_edit(facility: Facility, user, **values) -> None:
    for name, value in values.items():
        setattr(facility, name, value)
    save_facility(facility, service_codes=None, user=user)


def test_the_check_lists_each_field_that_will_change_old_and_new(db):
    station = _imported_station()

    report = run_import(
        "kaigo", [kaigo_file([kaigo_row(電話番号="0178-62-9999", 事業所名="新テスト訪問看護")])], dry_run=True
    )

    changes = {(c.facility_id, c.label, c.old, c.new) for c in report.changes}
    assert (station.pk, "電話番号", "0178-62-0001", "0178-62-9999") in changes
    assert (station.pk, "名称", "テスト訪問看護ステーション", "新テスト訪問看護") in changes
    assert report.change_count == len(report.changes) and not report.kept_newer


def test_a_csv_does_not_undo_a_staff_edit_made_after_the_last_import(db, alice):
    station = _imported_station()
    _staff_edit(station, alice, phone="0178-62-5555")

    # The same (undated) file again, now with another change: the staff's newer phone stays.
    report = run_import(
        "kaigo", [kaigo_file([kaigo_row(電話番号="0178-62-0001", 事業所名="改称ステーション")])]
    )

    station.refresh_from_db()
    assert (station.phone, station.name) == ("0178-62-5555", "テスト訪問看護ステーション")
    assert (report.updated, report.kept_newer) == (0, 1)
    assert [c.kept_newer for c in report.changes] == [True, True]
    assert any("確認・編集されています" in w.message for w in report.warnings)
    assert any("新しい変更も上書きする" in line for line in report.summary_lines())


def test_ticking_overwrite_newer_writes_the_file_anyway(db, alice):
    station = _imported_station()
    _staff_edit(station, alice, phone="0178-62-5555")

    report = run_import("kaigo", [kaigo_file([kaigo_row()])], overwrite_newer=True)

    station.refresh_from_db()
    assert station.phone == "0178-62-0001"
    assert (report.updated, report.kept_newer) == (1, 0)


def test_a_facility_confirmed_after_the_last_import_is_left_as_confirmed(db):
    station = _imported_station()
    Facility.objects.filter(pk=station.pk).update(verified_at=timezone.now() + timedelta(seconds=1))

    report = run_import("kaigo", [kaigo_file([kaigo_row(電話番号="0178-62-9999")])])

    station.refresh_from_db()
    assert station.phone == "0178-62-0001" and report.kept_newer == 1


def test_an_edit_of_another_field_does_not_hold_back_the_file(db):
    station = _imported_station()
    # An edit of the memo only (no confirmation): the file's new phone does not undo it.
    station.professional_note = "夜間は代表番号へ"
    station._change_reason = "職員が編集"  # type: ignore[attr-defined]  # read by django-simple-history
    station.save()

    report = run_import("kaigo", [kaigo_file([kaigo_row(電話番号="0178-62-9999")])])

    station.refresh_from_db()
    assert (station.phone, station.professional_note) == ("0178-62-9999", "夜間は代表番号へ")
    assert (report.updated, report.kept_newer) == (1, 0)


def _template_workbook(rows: list[list[str]]) -> bytes:
    from renkei.directory.importers.renkei_template import HEADINGS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_excel_file_made_before_a_confirmation_does_not_undo_it(db):
    salon = ["gonohe-kayoi-001", "通いの場", "五戸町ふれあいサロン", "", "五戸町"]
    run_import("renkei", [InputFile.from_bytes("salons.xlsx", _template_workbook([salon]))])
    older_file = _template_workbook([[*salon[:2], "五戸町ふれあいサロン（旧名）", *salon[3:]]])
    facility = Facility.objects.get()
    # Confirmed after the workbook was saved, but before this second import.
    Facility.objects.filter(pk=facility.pk).update(verified_at=timezone.now() + timedelta(minutes=1))

    report = run_import("renkei", [InputFile.from_bytes("salons.xlsx", older_file)])

    assert report.kept_newer == 1
    assert Facility.objects.get().name == "五戸町ふれあいサロン"


def test_the_check_page_names_each_change_and_offers_to_overwrite(client, alice):
    station = _imported_station()
    _staff_edit(station, alice, phone="0178-62-5555")
    client.force_login(alice)
    upload = SimpleUploadedFile("jigyosho_130.csv", csv_bytes(KAIGO_HEADER, [kaigo_row()]))

    response = client.post(reverse("directory_staff:import_upload"), {"format": "kaigo", "files": upload})

    page = response.content.decode()
    assert 'data-testid="import-changes"' in page
    assert "0178-62-5555" in page and "0178-62-0001" in page
    assert "新しい変更があるため変更しない" in page
    assert "新しい変更も上書きする" in page
    token = response.context["token"]

    result = client.post(reverse("directory_staff:import_confirm"), {"token": token, "overwrite_newer": "1"})

    assert result.status_code == 200
    station.refresh_from_db()
    assert station.phone == "0178-62-0001"


def test_the_upload_form_offers_overwrite_newer(client, alice):
    client.force_login(alice)
    page = client.get(reverse("directory_staff:import_upload")).content.decode()
    assert "新しい変更も上書きする" in page


def test_the_command_keeps_newer_work_unless_told(db, alice, tmp_path, capsys):
    station = _imported_station()
    _staff_edit(station, alice, phone="0178-62-5555")
    path = tmp_path / "jigyosho_130.csv"
    path.write_bytes(csv_bytes(KAIGO_HEADER, [kaigo_row()]))

    call_command("import_facilities", str(path), "--format", "kaigo")
    station.refresh_from_db()
    assert station.phone == "0178-62-5555"

    call_command("import_facilities", str(path), "--format", "kaigo", "--overwrite-newer")
    station.refresh_from_db()
    assert station.phone == "0178-62-0001"
