"""On a phone, a desk worker finds her care-team patient by reading and birth date and links the case."""

from __future__ import annotations

from datetime import date

import pytest

from renkei.consultations.models import Consultation
from renkei.core.models import Organization, User
from renkei.sharing.models import TeamRole
from tests.browser.conftest import assert_accessible, assert_fits_width
from tests.browser.test_consultations_phone import log_in
from tests.conftest import make_user
from tests.sharing.conftest import add_member, give_consent, register

pytestmark = pytest.mark.usefixtures("region_data")


@pytest.fixture
def dan(gonohe):
    desk = Organization.objects.create(
        name="五戸町地域包括支援センター",
        kind=Organization.Kind.COMMUNITY_SUPPORT_CENTER,
        municipality=gonohe,
    )
    return make_user("dan", desk, User.Role.PROFESSIONAL, full_name="五戸 ダン")


@pytest.fixture
def patients(hachinohe, dan):
    office = Organization.objects.create(
        name="テスト居宅介護支援事業所", kind=Organization.Kind.CARE_MANAGEMENT_OFFICE, municipality=hachinohe
    )
    cm = make_user("cm", office, User.Role.PROFESSIONAL, profession=User.Profession.CARE_MANAGER)
    twins = [
        register(cm, full_name="架空 花子", full_name_kana="かくう はなこ", birth_date=date(1938, 4, 2)),
        register(cm, full_name="架空 花江", full_name_kana="かくう はなえ", birth_date=date(1941, 9, 30)),
    ]
    for patient in twins:
        give_consent(patient, cm)
        add_member(patient, cm, dan, TeamRole.COMMUNITY_SUPPORT_CENTER)
    return twins


def test_desk_worker_finds_the_patient_by_reading_and_birth_date_and_links_the_case(
    live_server, phone_page, dan, patients
):
    page = phone_page
    log_in(page, live_server.url)
    page.goto(live_server.url + "/consultations/new/")

    page.get_by_label("ふりがなで絞り込む").fill("カクウ ハナ")
    page.get_by_text("2人が該当します。").wait_for()
    page.get_by_label("生年月日で絞り込む").fill("1941-09-30")
    page.get_by_text("1人が該当します。").wait_for()
    assert page.get_by_label("登録利用者").input_value() == str(patients[1].pk)
    assert_fits_width(page)
    assert_accessible(page)

    page.get_by_role("group", name="相談者").get_by_label("家族").check()
    page.get_by_label("認知症").check()
    page.get_by_role("group", name="対応").get_by_label("情報提供").check()
    page.get_by_role("button", name="記録する", exact=True).click()
    page.get_by_text("を記録しました").wait_for()

    consultation = Consultation.objects.get()
    assert consultation.patient == patients[1]
    page.goto(f"{live_server.url}/consultations/{consultation.pk}/")
    assert page.get_by_test_id("patient").get_by_role("link").inner_text() == "架空 花江"
    assert_fits_width(page)
    assert_accessible(page)
