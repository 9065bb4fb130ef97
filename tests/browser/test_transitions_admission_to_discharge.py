"""The whole 入退院 path in a browser: the care manager records the admission on the patient's page,
sees its deadlines, writes the 入院時情報提供書 from the pre-filled form and sends it; the hospital's
地域連携室 reads it and writes the 退院・退所情報記録書; the care manager records the discharge."""

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
    office = Organization.objects.create(
        name="テスト居宅介護支援事業所", kind=Organization.Kind.CARE_MANAGEMENT_OFFICE, municipality=hachinohe
    )
    hospital = Organization.objects.create(
        name="テスト市民病院", kind=Organization.Kind.HOSPITAL, municipality=hachinohe
    )
    cm = make_user(
        "cm",
        office,
        User.Role.PROFESSIONAL,
        profession=User.Profession.CARE_MANAGER,
        full_name="三戸 ケアマネ",
    )
    liaison = make_user(
        "liaison",
        hospital,
        User.Role.PROFESSIONAL,
        profession=User.Profession.SOCIAL_WORKER,
        full_name="連携 花子",
    )
    patient = services.register_patient(
        cm,
        {
            "full_name": "架空 梅子",
            "full_name_kana": "かくう うめこ",
            "birth_date": date(1936, 3, 3),
            "sex": Patient.Sex.FEMALE,
            "municipality": hachinohe,
            "emergency_contacts": "長男 架空 一郎 000-0000-0000",
            "medications": "薬A 朝1錠",
        },
    )
    return cm, liaison, patient


def test_admission_to_discharge(live_server, page, browser):
    cm, liaison, patient = _people()
    cm_device, liaison_device = confirmed_totp_device(cm), confirmed_totp_device(liaison)

    log_in(page, live_server, "cm", PASSWORD, device=cm_device)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="入院を記録する").click()
    page.get_by_label("病院名").fill("テスト市民病院")
    page.get_by_label("病棟").fill("4階東")
    page.get_by_label("入院日時").fill("2026-12-03T10:00")
    page.get_by_label("退院予定日").fill("2026-12-10")
    page.get_by_label("地域連携室の担当者（Renkeiの利用者）").select_option(
        label="連携 花子（テスト市民病院）"
    )
    assert_accessible(page)
    page.get_by_role("button", name="保存する").click()
    page.get_by_role("heading", name="期限").wait_for()
    assert "期限 2026年12月5日" in page.get_by_test_id("due-admission_info").inner_text()
    assert "期限 2026年12月7日" in page.get_by_test_id("due-discharge_contact").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="入院時情報提供書を作成").click()
    assert page.get_by_label("緊急連絡先").input_value() == "長男 架空 一郎 000-0000-0000"
    page.get_by_label("家族構成・キーパーソン").fill("長男（同居）がキーパーソン")
    page.get_by_label("認知症高齢者の日常生活自立度").select_option("Ⅱa")
    assert_accessible(page)
    page.get_by_role("button", name="保存する").click()
    page.get_by_role("button", name="地域連携室へ送る").click()
    page.get_by_test_id("sent").wait_for()
    assert_accessible(page)

    hospital_context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    hospital_page = hospital_context.new_page()
    hospital_page.set_default_timeout(15_000)
    log_in(hospital_page, live_server, "liaison", PASSWORD, device=liaison_device)
    episode_url = page.get_by_role("link", name="入院の記録へ").get_attribute("href")
    hospital_page.goto(live_server.url + episode_url)
    hospital_page.get_by_role("link", name="入院時情報提供書").click()
    assert "長男（同居）がキーパーソン" in hospital_page.content()
    hospital_page.go_back()
    hospital_page.get_by_role("link", name="退院・退所情報記録書を作成").click()
    hospital_page.get_by_label("入院原因疾患").fill("心不全の増悪")
    hospital_page.get_by_label("聞き取った相手（職種・氏名）").fill("病棟看護師 連携 花子")
    hospital_page.get_by_label("聞き取った日時").fill("2026-12-03T15:00")
    hospital_page.get_by_role("button", name="保存する").click()
    hospital_page.get_by_role("heading", name="退院・退所情報記録書").wait_for()
    assert_accessible(hospital_page)
    hospital_context.close()

    page.goto(live_server.url + episode_url)
    assert "記録済み" in page.get_by_test_id("due-discharge_contact").inner_text()
    page.get_by_role("link", name="記録を変更").click()
    page.get_by_label("状況").select_option(label="退院済")
    page.get_by_label("退院日").fill("2026-12-10")
    page.get_by_role("button", name="保存する").click()
    assert page.get_by_test_id("episode-status").inner_text() == "退院済（2026年12月10日）"
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    assert "退院済" in page.get_by_test_id("episodes").inner_text()
