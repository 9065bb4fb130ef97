"""Municipality staff print a resource guide from the staff page (on a phone too: the audit in
conftest re-opens every page at 360 px and runs axe)."""

from __future__ import annotations

import pdfplumber
import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.login import log_in
from tests.directory.search_fixtures import make_facility

pytestmark = pytest.mark.usefixtures("region_data")


def test_staff_print_an_a5_booklet_of_their_municipality(live_server, phone_page):
    from renkei.core.models import Municipality, Organization, User
    from tests.conftest import PASSWORD, make_user

    office = Organization.objects.create(
        name="ブラウザ階上町役場", kind=Organization.Kind.MUNICIPAL_OFFICE,
        municipality=Municipality.objects.get(code="024465"),
    )  # fmt: skip
    make_user("hana", office, User.Role.MUNICIPALITY_STAFF, full_name="階上 ハナ")
    make_facility(
        "はしかみブラウザサロン",
        "はしかみぶらうざさろん",
        "gathering_place",
        "024465",
        address="青森県三戸郡階上町道仏1",
    )

    log_in(phone_page, live_server, "hana", PASSWORD)
    phone_page.get_by_role("link", name="資源ガイド印刷").first.click()
    phone_page.get_by_role("heading", name="地域資源ガイドの印刷").wait_for()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone_page)
    phone_page.get_by_label("市町村").select_option(label="階上町")
    phone_page.get_by_label("A5 冊子（A4 横に 2 ページずつ面付け）").check()
    with phone_page.expect_download() as download:
        phone_page.get_by_role("button", name="PDF を作成").click()
    path = download.value.path()
    with pdfplumber.open(path) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
        assert all(page.width > page.height for page in document.pages)  # imposed on landscape sheets
    assert "階上町 医療・介護・地域資源ガイド" in text
    assert "はしかみブラウザサロン" in text
