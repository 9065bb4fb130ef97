"""On a 360 px phone: 三戸町's staff grant the fire department access, a named firefighter finds a
consenting resident and reads her 救急医療情報キット, and her care manager sees that read."""

from __future__ import annotations

import re
from datetime import date

import pytest

from renkei.continuity.services import emergency_services as services
from renkei.core.models import Municipality, Organization, User
from renkei.sharing import services as sharing
from renkei.sharing.models import Patient
from tests.browser.conftest import assert_accessible, assert_fits_width
from tests.browser.login import log_in
from tests.conftest import PASSWORD, make_user
from tests.core.totp import confirmed_totp_device

pytestmark = pytest.mark.usefixtures("region_data")


def _setup() -> tuple[User, User, User, Patient]:
    sannohe = Municipality.objects.get(code="024414")
    hachinohe = Municipality.objects.get(code="022039")
    office = Organization.objects.create(
        name="テスト三戸町役場", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=sannohe
    )
    care = Organization.objects.create(
        name="テスト居宅介護支援事業所", kind=Organization.Kind.CARE_MANAGEMENT_OFFICE, municipality=hachinohe
    )
    fire = Organization.objects.create(
        name="テスト消防本部", kind=Organization.Kind.FIRE_DEPARTMENT, municipality=hachinohe
    )
    staff = make_user("sannohe", office, User.Role.MUNICIPALITY_STAFF, full_name="三戸 職員")
    cm = make_user("cm", care, User.Role.PROFESSIONAL, profession=User.Profession.CARE_MANAGER)
    firefighter = make_user("fire1", fire, User.Role.EMERGENCY_SERVICES, full_name="消防 一郎")
    patient = sharing.register_patient(
        cm,
        {"full_name": "架空 松子", "full_name_kana": "かくう まつこ", "birth_date": date(1934, 8, 15),
         "sex": Patient.Sex.FEMALE, "municipality": sannohe, "address": "大字川守田1", "allergies": "卵"},
    )  # fmt: skip
    services.record_emergency_services_consent(
        cm,
        patient,
        {"given_by": "架空 松子", "relationship": "本人", "given_on": date(2026, 11, 1), "method": "written"},
    )
    return staff, firefighter, cm, patient


def test_a_municipality_grants_the_fire_department_reads_and_the_owner_sees_it(live_server, phone_page):
    staff, firefighter, cm, patient = _setup()
    page = phone_page

    log_in(page, live_server, "sannohe", PASSWORD, device=confirmed_totp_device(staff))
    page.goto(f"{live_server.url}/continuity/emergency-services/agencies/")
    page.get_by_label(re.compile("^提供先")).select_option(label="テスト消防本部")
    page.get_by_label(re.compile("^市町村")).select_option(label="三戸町")
    page.get_by_role("button", name="提供を許可する").click()
    page.get_by_text("提供を許可しました。").wait_for()
    assert page.get_by_test_id("grants").get_by_text("テスト消防本部").is_visible()
    assert_fits_width(page)
    assert_accessible(page)

    page.context.clear_cookies()
    log_in(page, live_server, "fire1", PASSWORD, device=confirmed_totp_device(firefighter))
    page.wait_for_url(re.compile("/continuity/emergency-services/$"))
    menu = page.get_by_role("navigation").first.inner_text()
    assert "救急医療情報キットの閲覧" in menu and "医療・介護資源を探す" not in menu and "トップ" not in menu
    page.get_by_label(re.compile("^氏名・ふりがな・住所")).fill("まつこ")
    page.get_by_role("button", name="探す").click()
    page.get_by_test_id("agency-results").get_by_role("link", name=re.compile("架空 松子")).click()
    kit = page.get_by_test_id("agency-kit")
    kit.get_by_text("卵", exact=True).wait_for()
    assert kit.get_by_text("大字川守田1").is_visible()
    assert_fits_width(page)
    assert_accessible(page)

    page.context.clear_cookies()
    log_in(page, live_server, "cm", PASSWORD, device=confirmed_totp_device(cm))
    page.goto(f"{live_server.url}/continuity/patients/{patient.pk}/emergency-services/")
    reads = page.get_by_test_id("agency-reads")
    reads.get_by_text("救急医療情報キット（消防・警察の閲覧）").first.wait_for()
    assert reads.get_by_text("消防 一郎").first.is_visible()
    assert_fits_width(page)
    assert_accessible(page)
