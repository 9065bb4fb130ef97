"""On a 360 px phone the かかりつけ医 is found by typing part of its name; clinics of the same name
are told apart by 市町村・町字 and category. Without the script, 「かかりつけ医を検索」 does the same."""

from __future__ import annotations

import pytest

from renkei.core.models import Municipality, Organization, User
from renkei.sharing.models import Patient
from tests.browser.conftest import assert_accessible, assert_fits_width
from tests.browser.login import log_in
from tests.conftest import PASSWORD, make_user
from tests.core.totp import confirmed_totp_device
from tests.directory.search_fixtures import make_facility

pytestmark = pytest.mark.usefixtures("region_data")


def _care_manager() -> User:
    office = Organization.objects.create(
        name="テスト居宅介護支援事業所", kind=Organization.Kind.CARE_MANAGEMENT_OFFICE,
        municipality=Municipality.objects.get(code="022039"),
    )  # fmt: skip
    return make_user(
        "cm",
        office,
        User.Role.PROFESSIONAL,
        profession=User.Profession.CARE_MANAGER,
        full_name="三戸 ケアマネ",
    )


def _clinics():
    make_facility(
        "たかはしクリニック",
        "タカハシクリニック",
        "clinic",
        "022039",
        address="青森県八戸市大字是川２７－２７",
    )
    return make_facility(
        "たかはしクリニック",
        "タカハシクリニック",
        "clinic",
        "022039",
        address="青森県八戸市南類家三丁目３３－１３",
    )


def _fill_patient(page) -> None:
    page.locator("#id_full_name").fill("架空 花子")
    page.locator("#id_full_name_kana").fill("かくう はなこ")
    page.locator("#id_birth_date").fill("1938-04-02")
    page.locator("#id_sex").select_option("female")


def test_a_family_doctor_is_found_as_one_types_on_a_phone(live_server, phone_page):
    cm = _care_manager()
    ruike = _clinics()
    log_in(phone_page, live_server, "cm", PASSWORD, device=confirmed_totp_device(cm))
    phone_page.goto(live_server.url + "/patients/new/")
    _fill_patient(phone_page)
    assert phone_page.get_by_role("button", name="かかりつけ医を検索").count() == 0  # the script searches
    phone_page.get_by_label("かかりつけ医を名称で検索").press_sequentially("たかはし")
    choice = phone_page.get_by_role("radio", name="たかはしクリニック（八戸市南類家三丁目・診療所）")
    choice.wait_for()
    phone_page.get_by_role("radio", name="たかはしクリニック（八戸市大字是川・診療所）").wait_for()
    phone_page.get_by_role("status").filter(has_text="2件あります").wait_for()
    assert_fits_width(phone_page)
    assert_accessible(phone_page)
    choice.check()
    phone_page.get_by_role("button", name="登録する").click()
    phone_page.get_by_role("heading", name="架空 花子").wait_for()
    assert Patient.objects.get().physician_facility == ruike
    assert phone_page.get_by_role("link", name="たかはしクリニック").count() == 1


def test_without_the_script_the_search_button_offers_the_matches(live_server, browser):
    cm = _care_manager()
    ruike = _clinics()
    context = browser.new_context(
        locale="ja-JP", viewport={"width": 360, "height": 740}, is_mobile=True, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, "cm", PASSWORD, device=confirmed_totp_device(cm))
    page.goto(live_server.url + "/patients/new/")
    _fill_patient(page)
    page.get_by_label("かかりつけ医を名称で検索").fill("タカハシ")
    page.get_by_role("button", name="かかりつけ医を検索").click()
    page.get_by_text("「タカハシ」に当てはまる病院・診療所が2件あります").wait_for()
    assert Patient.objects.count() == 0
    assert page.locator("#id_full_name").input_value() == "架空 花子"
    assert_fits_width(page)
    page.get_by_role("radio", name="たかはしクリニック（八戸市南類家三丁目・診療所）").check()
    page.get_by_role("button", name="登録する").click()
    page.get_by_role("heading", name="架空 花子").wait_for()
    assert Patient.objects.get().physician_facility == ruike
    context.close()
