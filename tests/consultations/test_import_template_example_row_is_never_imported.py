"""The consultation import template's example row is marked 記入例 and never imported: importing the
downloaded template unchanged creates no (overdue, counted) record. The column table marks every
column a row needs as required, and 性別「不明」 is read like 年代「不明」."""

from __future__ import annotations

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from renkei.consultations.models import Consultation, Sex
from renkei.consultations.services import import_consultations
from renkei.consultations.services.importing import (
    IMPORT_COLUMNS,
    import_template_csv,
    import_template_workbook,
)
from tests.consultations.conftest import tokyo
from tests.consultations.test_import import HEADINGS, csv_bytes
from tests.core.totp import verified_login


def test_the_example_row_starts_with_the_mark_in_both_templates():
    from io import BytesIO

    from openpyxl import load_workbook

    lines = import_template_csv().decode("utf-8-sig").splitlines()
    assert lines[1].startswith("記入例 2024/04/08 10:30,")
    sheet = load_workbook(BytesIO(import_template_workbook())).active
    assert str(sheet["A2"].value).startswith("記入例")


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_importing_the_untouched_template_adds_nothing(client, dan, gonohe_desk, categories):
    verified_login(client, dan)
    for name, content in (
        ("相談記録_取込テンプレート.csv", import_template_csv()),
        ("相談記録_取込テンプレート.xlsx", import_template_workbook()),
    ):
        response = client.post(
            "/consultations/import/", {"file": SimpleUploadedFile(name, content)}, follow=True
        )

        assert response.status_code == 200
        assert "見本のため取り込みませんでした" in response.content.decode()
    assert not Consultation.objects.exists()


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_the_example_row_of_an_older_template_is_skipped_and_rows_below_it_import(
    dan, gonohe_desk, categories
):
    from renkei.consultations.services.importing import _OLD_EXAMPLE

    old_example = ",".join(_OLD_EXAMPLE)
    own_row = "2023/04/03 10:00,電話,家族,,85歳以上,不明,五戸町,認知症,物忘れについて,情報提供,,15,終結,,"

    result = import_consultations(
        dan, gonohe_desk, filename="old.csv", data=csv_bytes([old_example, own_row])
    )

    assert (result.imported, result.examples, result.errors) == (1, 1, [])
    assert Consultation.objects.get().subject_sex == Sex.UNKNOWN


def test_the_column_table_marks_the_categories_column_required(client, dan):
    assert dict((key, required) for key, _, required in IMPORT_COLUMNS)["categories"] is True
    verified_login(client, dan)
    page = client.get("/consultations/import/").content.decode()
    assert "<td>相談内容区分</td><td>必須</td>" in page
    assert HEADINGS.split(",")[7] == "相談内容区分"
