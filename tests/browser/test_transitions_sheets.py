"""A municipality's own sheet in a browser: its staff define a sheet with two fields (one required)
and publish it; a care manager on a patient's team there fills it from the patient's page (first
without the required field, then correctly), sees it on the timeline and prints it as a PDF."""

from __future__ import annotations

from datetime import date

import pytest

from renkei.core.models import Municipality, Organization, User
from renkei.sharing import services
from renkei.sharing.models import Patient
from tests.browser.conftest import assert_accessible
from tests.browser.login import log_in
from tests.conftest import PASSWORD, make_user
from tests.core.totp import confirmed_totp_device

pytestmark = pytest.mark.usefixtures("region_data")


def _people():
    hachinohe = Municipality.objects.get(code="022039")
    city_hall = Organization.objects.create(
        name="テスト市役所 介護保険課", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=hachinohe
    )
    office = Organization.objects.create(
        name="テスト居宅介護支援事業所", kind=Organization.Kind.CARE_MANAGEMENT_OFFICE, municipality=hachinohe
    )
    staff = make_user("staff", city_hall, User.Role.MUNICIPALITY_STAFF, full_name="市役所 職員")
    cm = make_user(
        "cm",
        office,
        User.Role.PROFESSIONAL,
        profession=User.Profession.CARE_MANAGER,
        full_name="三戸 ケアマネ",
    )
    patient = services.register_patient(
        cm,
        {
            "full_name": "架空 梅子",
            "full_name_kana": "かくう うめこ",
            "birth_date": date(1936, 3, 3),
            "sex": Patient.Sex.FEMALE,
            "municipality": hachinohe,
        },
    )
    return staff, cm, patient


def _define_and_publish(page, live_server) -> None:
    page.goto(f"{live_server.url}/transitions/sheets/")
    page.get_by_label("シート名").fill("八戸市 退院連絡票")
    assert_accessible(page)
    page.get_by_role("button", name="作る").click()
    page.get_by_role("heading", name="第1版（下書き）の項目").wait_for()
    rows = page.get_by_test_id("sheet-field")
    rows.nth(0).get_by_label("項目名").fill("本人の様子")
    rows.nth(0).get_by_label("種類").select_option(label="長い文")
    rows.nth(0).get_by_label("必須にする").check()
    rows.nth(1).get_by_label("項目名").fill("次回の訪問日")
    rows.nth(1).get_by_label("種類").select_option(label="日付")
    assert_accessible(page)
    page.get_by_role("button", name="下書きを保存する").click()
    page.get_by_text("第1版の下書きを保存しました。").wait_for()
    assert rows.nth(0).get_by_label("項目名").input_value() == "本人の様子"
    page.get_by_role("button", name="第1版を公開する").click()
    page.get_by_text("第1版を公開しました。").wait_for()
    assert "第1版（公開中" in page.get_by_test_id("sheet-versions").inner_text()
    assert_accessible(page)


def test_municipality_sheet_defined_filled_and_printed(live_server, page, browser):
    staff, cm, patient = _people()
    staff_device, cm_device = confirmed_totp_device(staff), confirmed_totp_device(cm)

    log_in(page, live_server, "staff", PASSWORD, device=staff_device)
    _define_and_publish(page, live_server)

    cm_context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    cm_page = cm_context.new_page()
    cm_page.set_default_timeout(15_000)
    log_in(cm_page, live_server, "cm", PASSWORD, device=cm_device)
    cm_page.goto(f"{live_server.url}/patients/{patient.pk}/")
    cm_page.get_by_test_id("sheets").get_by_role("link", name="八戸市 退院連絡票を記入する").click()
    cm_page.get_by_label("次回の訪問日").fill("2026-12-10")
    assert_accessible(cm_page)
    cm_page.get_by_role("button", name="タイムラインに投稿する").click()
    cm_page.get_by_text("「本人の様子」は必須です。").wait_for()
    assert cm_page.get_by_label("次回の訪問日").input_value() == "2026-12-10"
    assert_accessible(cm_page)

    cm_page.get_by_label("本人の様子").fill("食欲が戻り、歩行器で室内を移動できる。")
    cm_page.get_by_role("button", name="タイムラインに投稿する").click()
    cm_page.get_by_text("八戸市 退院連絡票をタイムラインに投稿しました。").wait_for()
    sheet = cm_page.get_by_test_id("filled-sheet")
    assert "食欲が戻り、歩行器で室内を移動できる。" in sheet.inner_text()
    assert "2026年12月10日" in sheet.inner_text()
    assert_accessible(cm_page)

    pdf_url = sheet.get_by_role("link", name="A4のPDFで印刷する").get_attribute("href")
    response = cm_page.request.get(live_server.url + pdf_url)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    cm_context.close()
