"""On a 360 px phone an image attachment shows as a thumbnail in the timeline and opens in the
browser; a PDF stays a download link."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from renkei.core.models import Municipality, Organization, User
from renkei.sharing import services
from renkei.sharing.models import Patient
from tests.browser.conftest import assert_accessible, assert_fits_width
from tests.browser.login import log_in
from tests.conftest import PASSWORD, make_user
from tests.core.totp import confirmed_totp_device
from tests.sharing.conftest import tiny_pdf

pytestmark = pytest.mark.usefixtures("region_data")


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (30, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def test_an_image_attachment_shows_as_a_thumbnail_and_opens_in_the_browser(live_server, phone_page):
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
    services.create_post(
        cm,
        patient,
        category="vitals",
        body="褥瘡の写真です。",
        uploads=[
            SimpleUploadedFile("褥瘡.jpg", _photo(), content_type="image/jpeg"),
            SimpleUploadedFile("血圧.pdf", tiny_pdf(), content_type="application/pdf"),
        ],
    )
    log_in(phone_page, live_server, "cm", PASSWORD, device=confirmed_totp_device(cm))
    phone_page.goto(live_server.url + f"/patients/{patient.pk}/")
    thumbnail = phone_page.get_by_role("img", name="褥瘡.jpg")
    thumbnail.scroll_into_view_if_needed()
    phone_page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )
    assert thumbnail.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [320, 240]
    assert thumbnail.evaluate("img => img.getBoundingClientRect().width") <= 360
    assert phone_page.get_by_role("link", name="血圧.pdf").count() == 1
    assert_fits_width(phone_page)
    assert_accessible(phone_page)

    with phone_page.context.expect_page() as opened:
        phone_page.get_by_test_id("attachment-image").click()
    full = opened.value
    full.wait_for_load_state()
    # Chromium shows the image itself (no download): its size is the original's.
    assert full.evaluate("document.images.length") == 1
    assert full.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]") == [
        1600,
        1200,
    ]
    full.close()
