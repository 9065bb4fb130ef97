"""A desk worker records a consultation on a 360 px phone and finds it in the month's count."""

from __future__ import annotations

import pytest
from django.utils import timezone

from renkei.consultations.models import Consultation
from renkei.consultations.services import month_label
from renkei.core.models import Organization, User
from renkei.directory.models import Facility
from tests.browser.conftest import assert_accessible, assert_fits_width
from tests.conftest import PASSWORD, make_user
from tests.core.totp import confirmed_totp_device, totp_code

pytestmark = pytest.mark.usefixtures("region_data")


@pytest.fixture
def dan(gonohe):
    desk = Organization.objects.create(
        name="五戸町地域包括支援センター",
        kind=Organization.Kind.COMMUNITY_SUPPORT_CENTER,
        municipality=gonohe,
    )
    return make_user("dan", desk, User.Role.PROFESSIONAL, full_name="五戸 ダン")


def log_in(page, base_url: str) -> None:
    """The real login page, then the code page: desk records are behind the second factor."""
    device = confirmed_totp_device(User.objects.get(username="dan"))
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("ユーザー名").fill("dan")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("textbox", name="確認コード").fill(totp_code(device))
    page.get_by_role("button", name="確認する").click()
    page.get_by_role("heading", name="職員ページ").wait_for()


def test_desk_worker_records_a_consultation_on_a_phone_and_sees_it_counted(live_server, phone_page, dan):
    page = phone_page
    log_in(page, live_server.url)
    page.goto(live_server.url + "/consultations/new/")
    assert_fits_width(page)
    assert_accessible(page)

    page.get_by_role("group", name="相談者").get_by_label("家族").check()
    page.get_by_label("認知症").check()
    page.get_by_label("相談内容（要旨）").fill("物忘れが増えたとの相談")
    page.get_by_role("group", name="対応").get_by_label("情報提供").check()
    page.get_by_role("button", name="記録する", exact=True).click()

    page.get_by_text("を記録しました").wait_for()
    assert_fits_width(page)
    assert_accessible(page)
    assert page.get_by_test_id("consultation-table").locator("tbody tr").count() == 1

    page.get_by_role("link", name="集計").click()
    page.get_by_role("heading", name="月別相談件数（一般住民・支援機関）").wait_for()
    assert_fits_width(page)
    assert_accessible(page)
    this_month = month_label(int(timezone.localdate().strftime("%Y%m")))
    row = page.get_by_test_id("table-month").get_by_role("row", name=this_month)
    assert row.locator("td").all_inner_texts() == ["1", "0", "1"]
    assert page.get_by_test_id("total").inner_text() == "1件"


def test_institution_search_links_the_directory_entry_from_the_keyboard(live_server, page, dan, hachinohe):
    hospital = Facility.objects.create(
        name="八戸みなと病院",
        name_kana="はちのへみなとびょういん",
        category="hospital",
        municipality=hachinohe,
    )
    hospital.set_search_fields([])
    hospital.save()
    log_in(page, live_server.url)
    page.goto(live_server.url + "/consultations/new/")
    page.get_by_role("group", name="相談者").get_by_label("医療機関").check()
    field = page.get_by_role("combobox", name="相談者の所属機関")
    field.press_sequentially("みなと")
    page.get_by_role("option", name="八戸みなと病院").wait_for()
    assert_accessible(page)
    field.press("ArrowDown")
    field.press("Enter")
    assert field.input_value() == "八戸みなと病院"
    page.get_by_text("資源一覧の機関として記録します。").first.wait_for()
    page.get_by_label("入退院・退院後の生活").check()
    page.get_by_role("group", name="対応").get_by_label("関係機関紹介").check()
    page.get_by_role("button", name="記録する", exact=True).click()
    page.get_by_text("を記録しました").wait_for()
    assert Consultation.objects.get().requester_facility == hospital
