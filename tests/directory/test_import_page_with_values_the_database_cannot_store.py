"""The staff import page with a NUL byte in a row: the check shows the row and the column, the
confirmation (rows with errors left out) writes the others — never a 500, on either database."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renkei.directory.models import Facility
from tests.directory.conftest import KAIGO_HEADER, csv_bytes, kaigo_row

ROWS = [kaigo_row(), kaigo_row(事業所番号="0291000002", 事業所名="壊れた\x00事業所")]


def _upload(client, **options):
    data = {"format": "kaigo", "files": SimpleUploadedFile("jigyosho_130.csv", csv_bytes(KAIGO_HEADER, ROWS))}
    data.update(options)
    return client.post(reverse("directory_staff:import_upload"), data)


def test_a_nul_byte_is_shown_as_an_error_of_its_row_and_nothing_can_be_confirmed(client, bob):
    client.force_login(bob)

    response = _upload(client)

    assert response.status_code == 400
    errors = response.context["report"].errors
    assert [(e.row, e.column) for e in errors] == [(3, "事業所名")]
    assert "制御文字（NUL）が含まれています。" in response.content.decode()
    assert not response.context["can_confirm"]
    assert Facility.objects.count() == 0


def test_staff_leaving_out_the_row_with_a_nul_byte_import_the_others(client, bob):
    client.force_login(bob)
    token = _upload(client, skip_invalid="on").context["token"]

    result = client.post(reverse("directory_staff:import_confirm"), {"token": token})

    assert result.status_code == 200
    assert list(Facility.objects.values_list("care_office_number", flat=True)) == ["0291000001"]
