from __future__ import annotations

import io
import zipfile
from collections import Counter

from renkei.directory.importers import InputFile, run_import
from renkei.directory.models import Facility
from tests.directory.conftest import IRYO_FILES


def test_the_iryo_sample_becomes_8_hospitals_70_clinics_and_40_dental_clinics(db):
    report = run_import("iryo", IRYO_FILES)

    assert report.written and report.errors == [] and report.warnings == []
    assert report.added == 118
    assert Counter(Facility.objects.values_list("category", flat=True)) == {
        "hospital": 8,
        "clinic": 70,
        "dental_clinic": 40,
    }
    # 市区町村コード 203 etc. plus 都道府県コード 02 and the check digit.
    hospitals = Counter(
        Facility.objects.filter(category="hospital").values_list("municipality__code", flat=True)
    )
    assert hospitals == {"022039": 6, "024414": 1, "024422": 1}


def test_a_hospital_keeps_its_id_as_text_and_gets_readable_hours(db):
    run_import("iryo", IRYO_FILES)

    hospital = Facility.objects.get(medical_institution_id="0210100000000")
    assert hospital.name == "長根二丁目さくら病院"
    assert hospital.corporation_name == "医療法人サンプル会"
    assert hospital.name_kana == "さくらびょういん"
    assert hospital.address == "青森県八戸市長根二丁目42-13"
    assert hospital.beds == 239
    assert hospital.specialties == ["救急科"]
    assert hospital.opening_hours == (
        "月・火・水・金 9:00〜12:00、14:00〜18:00\n休診: 木・土・日・祝日\nその他の休診日: 年末年始"
    )
    assert hospital.source == "iryo"


def test_a_zip_of_the_snapshot_imports_like_the_csv_files(db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in IRYO_FILES:
            archive.write(path, path.name)
    report = run_import("iryo", [InputFile.from_bytes("iryo_20260601.zip", buffer.getvalue())])
    assert report.added == 118

    again = run_import("iryo", IRYO_FILES)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 118)


def test_facility_info_alone_keeps_hours_and_specialties_from_before(db):
    run_import("iryo", IRYO_FILES)
    facility_only = [path for path in IRYO_FILES if "facility_info" in path.name]

    report = run_import("iryo", facility_only)

    assert (report.updated, report.unchanged) == (0, 118)
    assert Facility.objects.get(medical_institution_id="0210100000000").specialties == ["救急科"]


def test_hours_without_their_facility_file_are_refused(db):
    hours = [path for path in IRYO_FILES if "speciality_hours" in path.name]
    report = run_import("iryo", hours)
    assert "施設票" in report.refused
    assert Facility.objects.count() == 0


def test_a_full_snapshot_lists_clinics_that_are_no_longer_in_it(db):
    run_import("iryo", IRYO_FILES)
    clinic_file = next(path for path in IRYO_FILES if path.name.startswith("02-1"))
    lines = clinic_file.read_bytes().split(b"\r\n")
    # Drop the first clinic (ID 0220100000000) from a copy of the file.
    shorter = b"\r\n".join([lines[0], *lines[2:]])

    report = run_import("iryo", [InputFile.from_bytes(clinic_file.name, shorter)], full=True, dry_run=True)

    assert (report.unchanged, report.missing) == (69, 1)
    assert [m.code for m in report.missing_facilities] == ["0220100000000"]
