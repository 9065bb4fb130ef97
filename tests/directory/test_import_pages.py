from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renkei.core.permissions import can_import_facilities
from renkei.directory.models import Facility
from tests.directory.conftest import KAIGO_HEADER, csv_bytes, kaigo_row


def _upload(client, rows, **options):
    data = {"format": "kaigo", "files": SimpleUploadedFile("jigyosho_130.csv", csv_bytes(KAIGO_HEADER, rows))}
    data.update(options)
    return client.post(reverse("directory_staff:import_upload"), data)


def test_region_admins_and_municipality_staff_may_import_but_professionals_may_not(alice, bob, carol):
    assert can_import_facilities(alice)
    assert can_import_facilities(bob)
    assert not can_import_facilities(carol)


def test_a_professional_gets_403_on_the_import_page(client, carol):
    client.force_login(carol)
    assert client.get(reverse("directory_staff:import_upload")).status_code == 403


def test_upload_shows_a_dry_run_then_confirm_writes(client, alice, settings):
    client.force_login(alice)
    response = _upload(client, [kaigo_row()])
    assert response.status_code == 200
    assert "まだ何も取り込んでいません" in response.content.decode()
    assert Facility.objects.count() == 0
    token = response.context["token"]
    assert list((settings.VAR_DIR / "imports" / token).iterdir())

    result = client.post(reverse("directory_staff:import_confirm"), {"token": token})

    assert result.status_code == 200
    assert "取り込みました" in result.content.decode()
    assert Facility.objects.get().care_office_number == "0291000001"
    assert not (settings.VAR_DIR / "imports" / token).exists()
    # The token is spent: confirming twice finds nothing.
    assert client.post(reverse("directory_staff:import_confirm"), {"token": token}).status_code == 404


def test_a_token_from_another_session_cannot_be_confirmed(client, alice, bob):
    client.force_login(alice)
    token = _upload(client, [kaigo_row()]).context["token"]
    client.logout()
    client.force_login(bob)
    assert client.post(reverse("directory_staff:import_confirm"), {"token": token}).status_code == 404
    assert client.post(reverse("directory_staff:import_confirm"), {"token": "../../etc"}).status_code == 404
    assert Facility.objects.count() == 0


def test_municipality_staff_cannot_import_rows_of_another_municipality(client, bob):
    client.force_login(bob)
    hachinohe_row = kaigo_row(
        事業所番号="0271999999", 都道府県コード又は市町村コード="022039", 市区町村名="八戸市"
    )
    response = _upload(client, [kaigo_row(), hachinohe_row])

    assert response.status_code == 400
    errors = response.context["report"].errors
    assert [(e.row, e.column) for e in errors] == [(3, "都道府県コード又は市町村コード")]
    assert errors[0].message == "八戸市の施設です。取り込めるのは、あなたが担当する市町村の施設だけです。"
    assert "confirm" not in response.content.decode()

    # With 「誤りのある行を除いて取り込む」 only the 五戸町 row is written.
    response = _upload(client, [kaigo_row(), hachinohe_row], skip_invalid="on")
    client.post(reverse("directory_staff:import_confirm"), {"token": response.context["token"]})
    assert list(Facility.objects.values_list("municipality__name", flat=True)) == ["五戸町"]


def test_the_rejected_rows_can_be_downloaded_after_the_check(client, alice):
    client.force_login(alice)
    response = _upload(client, [kaigo_row(), kaigo_row(事業所番号="x")], skip_invalid="on")
    download = client.get(reverse("directory_staff:import_rejected", args=[response.context["token"]]))
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    assert content.splitlines()[0].endswith(",エラー")
    assert "事業所番号「x」は10桁の数字で入力してください。" in content


def test_a_refused_file_shows_the_reason_and_keeps_nothing(client, alice, settings):
    client.force_login(alice)
    response = client.post(
        reverse("directory_staff:import_upload"),
        {"format": "kaigo", "files": SimpleUploadedFile("bad.csv", b"\xff\xfe\x00garbage")},
    )
    assert response.status_code == 400
    assert "UTF-16" in response.content.decode()
    assert not (settings.VAR_DIR / "imports" / response.context["token"]).exists()


def test_the_template_downloads_in_csv_and_excel(client, bob):
    client.force_login(bob)
    csv_response = client.get(reverse("directory_staff:import_template", args=["csv"]))
    assert csv_response.content.decode("utf-8-sig").startswith("独自コード,種別,名称")
    xlsx_response = client.get(reverse("directory_staff:import_template", args=["xlsx"]))
    assert xlsx_response.content[:2] == b"PK"
    assert client.get(reverse("directory_staff:import_template", args=["pdf"])).status_code == 404


def test_uploads_never_confirmed_are_removed_after_a_day(client, alice, settings):
    import os
    import time

    stale = settings.VAR_DIR / "imports" / ("a" * 32)
    stale.mkdir(parents=True)
    (stale / "0.bin").write_bytes(b"old")
    day_ago = time.time() - 25 * 3600
    os.utime(stale, (day_ago, day_ago))

    client.force_login(alice)
    _upload(client, [kaigo_row()])

    assert not stale.exists()
