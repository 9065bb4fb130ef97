"""On a 360 px phone the newest posts come right after the patient's header."""

from __future__ import annotations

from datetime import date

import pytest

from renkei.core.models import Municipality, Organization, User
from renkei.sharing import services
from renkei.sharing.models import Patient
from tests.browser.conftest import assert_accessible, assert_fits_width
from tests.browser.login import log_in
from tests.conftest import PASSWORD, make_user
from tests.core.totp import confirmed_totp_device

pytestmark = pytest.mark.usefixtures("region_data")


def test_the_newest_post_comes_right_after_the_header_on_a_phone(live_server, phone_page):
    office = Organization.objects.create(
        name="テスト居宅介護支援事業所", kind=Organization.Kind.CARE_MANAGEMENT_OFFICE,
        municipality=Municipality.objects.get(code="022039"),
    )  # fmt: skip
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
            "full_name": "架空 花子",
            "full_name_kana": "かくう はなこ",
            "birth_date": date(1938, 4, 2),
            "sex": Patient.Sex.FEMALE,
            "municipality": Municipality.objects.get(code="022039"),
        },
    )
    services.create_post(cm, patient, category="contact", body="昨日の訪問の記録です。")
    log_in(phone_page, live_server, "cm", PASSWORD, device=confirmed_totp_device(cm))

    phone_page.goto(live_server.url + f"/patients/{patient.pk}/")
    phone_page.get_by_role("heading", name="架空 花子").wait_for()

    def top(selector: str) -> float:
        return phone_page.locator(selector).first.evaluate("el => el.getBoundingClientRect().top")

    assert top("[data-testid=timeline]") < top("#new-post-heading") < top("#profile-heading")
    assert top("[data-testid=timeline]") < phone_page.viewport_size["height"]
    assert_fits_width(phone_page)
    assert_accessible(phone_page)
