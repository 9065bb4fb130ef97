"""Municipality staff open a facility's edit form (on a phone too: the audit in conftest re-opens
every page at 360 px) and save it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.login import log_in
from tests.directory.search_fixtures import make_facility

pytestmark = pytest.mark.usefixtures("region_data")


def test_staff_open_the_edit_form_and_save_it(live_server, phone_page):
    from renkei.core.models import Municipality, Organization, User
    from tests.conftest import PASSWORD, make_user

    office = Organization.objects.create(
        name="ブラウザ五戸町役場", kind=Organization.Kind.MUNICIPAL_OFFICE,
        municipality=Municipality.objects.get(code="024422"),
    )  # fmt: skip
    make_user("eve", office, User.Role.MUNICIPALITY_STAFF, full_name="五戸 イブ")
    facility = make_facility(
        "五戸ブラウザ訪問看護ステーション", "ごのへぶらうざほうもんかんご", "visiting_nurse_station", "024422",
        opening_hours="月〜金 9:00〜17:00\n土 9:00〜12:00",
    )  # fmt: skip

    log_in(phone_page, live_server, "eve", PASSWORD)
    phone_page.goto(f"{live_server.url}/facilities/{facility.pk}/edit/")
    phone_page.get_by_label("営業日・診療時間").wait_for()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone_page)
    phone_page.get_by_role("button", name="保存").click()
    phone_page.get_by_role("heading", name="五戸ブラウザ訪問看護ステーション").wait_for()
