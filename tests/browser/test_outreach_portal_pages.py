"""Municipality staff write their 看取り page with an image, and a resident reads it on a phone with
large type (the audit re-opens every page at 360 px and runs axe)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from renkei.core.models import Organization, User
from tests.browser.conftest import assert_accessible
from tests.browser.login import log_in
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.usefixtures("region_data")


def test_staff_write_a_page_with_an_image_and_a_resident_reads_it(
    live_server, page, phone_page, gonohe, tmp_path
):
    office = Organization.objects.create(
        name="五戸町役場（ページ）", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=gonohe
    )
    make_user("gonohe-pages", office, User.Role.MUNICIPALITY_STAFF)
    picture = tmp_path / "family.png"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), (90, 140, 200)).save(buffer, "PNG")
    picture.write_bytes(buffer.getvalue())

    log_in(page, live_server, "gonohe-pages", PASSWORD)
    page.goto(f"{live_server.url}/staff/outreach/pages/")
    page.get_by_role("link", name="作成 （五戸町・看取り）").click()
    page.get_by_label("見出し").fill("五戸町で家で最期を迎えるには")
    page.get_by_label("本文").fill(
        "## 相談先\n\n- **五戸町地域包括支援センター**に電話してください。\n\n<script>alert(1)</script>"
    )
    page.get_by_label("公開", exact=True).check()
    page.get_by_role("button", name="保存").click()
    page.get_by_role("status").filter(has_text="保存しました").wait_for()
    page.get_by_label("画像（JPEG・PNG、5MBまで）").set_input_files(str(picture))
    page.get_by_label("画像の説明（代替テキスト）").fill("自宅のベッドで家族と話す高齢の女性")
    page.get_by_role("button", name="画像を追加").click()
    page.get_by_role("img", name="自宅のベッドで家族と話す高齢の女性").wait_for()

    phone_page.goto(f"{live_server.url}/portal/024422/?size=large")
    phone_page.get_by_role("link", name="五戸町で家で最期を迎えるには").click()
    phone_page.get_by_role("heading", name="五戸町で家で最期を迎えるには").wait_for()
    body = phone_page.get_by_test_id("page-body")
    assert body.locator("h2").inner_text() == "相談先"
    assert body.locator("script").count() == 0
    image = phone_page.get_by_role("img", name="自宅のベッドで家族と話す高齢の女性")
    assert image.evaluate("img => img.naturalWidth") == 800
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone_page)
