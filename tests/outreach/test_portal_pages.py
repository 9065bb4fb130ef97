"""The portal's explanatory pages: who may write them, what residents see, what the sanitiser keeps."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from renkei.core import permissions
from renkei.core.models import Municipality, Organization, Region, User
from renkei.outreach.models import PortalImage, PortalPage
from renkei.outreach.services import pages
from renkei.outreach.services.pages import PageError, render_body
from tests.conftest import make_user


@pytest.fixture
def region(db) -> Region:
    return Region.objects.get(slug="hachinohe")


def png(name: str = "figure.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def publish(
    actor, region, municipality, topic="home_care", title="在宅医療とは", body="家で受ける医療です。"
):
    return pages.save_page(actor, region, municipality, topic, title=title, body=body, status="published")


# --- who may write ---


def test_region_pages_are_written_by_the_region_administrator_only(alice, bob, carol, region):
    assert permissions.can_edit_portal_page(alice, region, None)
    assert not permissions.can_edit_portal_page(bob, region, None)
    assert not permissions.can_edit_portal_page(carol, region, None)
    with pytest.raises(PermissionDenied):
        publish(bob, region, None)


def test_municipality_staff_write_their_own_municipality_pages_only(
    alice, bob, carol, region, gonohe, hachinohe
):
    assert permissions.can_edit_portal_page(bob, region, gonohe)
    assert not permissions.can_edit_portal_page(bob, region, hachinohe)
    assert permissions.can_edit_portal_page(alice, region, hachinohe)
    assert not permissions.can_edit_portal_page(carol, region, hachinohe)
    assert not permissions.can_edit_portal_page(None, region, gonohe)
    with pytest.raises(PermissionDenied):
        publish(bob, region, hachinohe)
    assert publish(bob, region, gonohe).municipality == gonohe


def test_staff_of_another_region_write_nothing_here(region, gonohe, db):
    other = Region.objects.create(slug="elsewhere", name="別の圏域", short_name="別", prefecture="岩手県")
    place = Municipality.objects.create(code="032018", name="盛岡市", prefecture="岩手県", region=other)
    office = Organization.objects.create(
        name="盛岡市役所", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=place
    )
    admin = make_user("morioka-admin", office, User.Role.REGION_ADMIN)
    assert not permissions.can_edit_portal_page(admin, region, None)
    assert not permissions.can_edit_portal_page(admin, region, gonohe)


# --- what residents see ---


def test_a_municipality_shows_its_own_page_else_the_regions(client, alice, bob, region, gonohe):
    publish(alice, region, None, title="在宅医療（圏域）")
    assert "在宅医療（圏域）" in client.get("/portal/024422/").content.decode()
    assert "在宅医療（圏域）" in client.get("/portal/024422/topics/home_care/").content.decode()
    publish(bob, region, gonohe, title="五戸町の在宅医療")
    page = client.get("/portal/024422/topics/home_care/").content.decode()
    assert "五戸町の在宅医療" in page and "在宅医療（圏域）" not in page
    # Other municipalities keep the region's page.
    assert "在宅医療（圏域）" in client.get("/portal/022039/topics/home_care/").content.decode()


def test_drafts_are_not_shown_to_residents(client, alice, region):
    pages.save_page(alice, region, None, "acp", title="人生会議（下書き）", body="…", status="draft")
    assert "人生会議（下書き）" not in client.get("/portal/").content.decode()
    assert client.get("/portal/topics/acp/").status_code == 404
    assert client.get("/portal/topics/unknown/").status_code == 404


def test_images_are_checked_need_alt_text_and_follow_the_pages_status(client, alice, carol, region):
    page = pages.save_page(alice, region, None, "end_of_life", title="看取り", body="本文", status="draft")
    with pytest.raises(PageError) as missing_alt:
        pages.add_image(alice, page, png(), alt="  ")
    assert missing_alt.value.field == "alt"
    fake = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(PageError) as not_an_image:
        pages.add_image(alice, page, fake, alt="写真")
    assert not_an_image.value.field == "image"
    with pytest.raises(PermissionDenied):
        pages.add_image(carol, page, png(), alt="写真")
    image = pages.add_image(alice, page, png(), alt="ベッドのそばで話す家族と看護師")
    assert client.get(f"/portal/images/{image.pk}/").status_code == 404  # the page is a draft
    client.force_login(alice)
    assert client.get(f"/portal/images/{image.pk}/").status_code == 200
    client.logout()
    publish(alice, region, None, topic="end_of_life", title="看取り", body="本文")
    response = client.get(f"/portal/images/{image.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        'alt="ベッドのそばで話す家族と看護師"' in client.get("/portal/topics/end_of_life/").content.decode()
    )
    pages.remove_image(alice, image)
    assert not PortalImage.objects.exists()
    assert client.get(f"/portal/images/{image.pk}/").status_code == 404


# --- sanitising ---


def test_markdown_is_rendered_for_residents():
    html = render_body(
        "## 相談窓口\n\n- **無料**です\n- [市役所](https://example.jp/) [電話](tel:0178-00-0000)"
    )
    assert "<h2>相談窓口</h2>" in html
    assert "<li><strong>無料</strong>です</li>" in html
    assert '<a href="https://example.jp/" rel="noopener noreferrer">市役所</a>' in html
    assert '<a href="tel:0178-00-0000" rel="noopener noreferrer">電話</a>' in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[押してね](javascript:alert(1))",
        "[押してね](JaVaScRiPt:alert(1))",
        '<a href="javascript:alert(1)">押してね</a>',
        "[押してね](data:text/html;base64,PHNjcmlwdD4=)",
        "![画像](https://tracker.example/pixel.gif)",
        '<p style="position:fixed" onclick="alert(1)">x</p>',
        "<iframe src=https://evil.example/></iframe>",
    ],
)
def test_scripts_event_handlers_and_javascript_urls_are_stripped(source):
    elements = Elements()
    elements.feed(render_body(source))
    tags = {tag for tag, _attrs in elements.found}
    assert not tags & {"script", "img", "iframe"}, source
    for _tag, attrs in elements.found:
        for name, value in attrs:
            assert not name.startswith("on") and name != "style", (source, name)
            assert name != "href" or value.startswith(("http://", "https://", "mailto:", "tel:")), (
                source,
                value,
            )


def test_a_link_to_javascript_keeps_no_href():
    # nh3 on its own (markdown-it already refuses such links): an <a> that reaches it loses the URL.
    assert render_body("[a](https://x.example/)").count("href") == 1
    elements = Elements()
    elements.feed(pages.nh3.clean('<a href="javascript:alert(1)">x</a>', url_schemes=pages._URL_SCHEMES))
    assert elements.found == [("a", [("rel", "noopener noreferrer")])]


class Elements(HTMLParser):
    """The elements and attributes of some HTML (text, escaped markup included, is not an element)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, [(name, value or "") for name, value in attrs]))


def test_the_staff_pages_list_and_save(client, bob, gonohe):
    client.force_login(bob)
    listing = client.get("/staff/outreach/pages/").content.decode()
    assert "/staff/outreach/pages/024422/acp/" in listing
    assert "/staff/outreach/pages/region/" not in listing  # not a region administrator
    assert client.get("/staff/outreach/pages/region/acp/").status_code == 403
    assert client.get("/staff/outreach/pages/022039/acp/").status_code == 403
    response = client.post(
        "/staff/outreach/pages/024422/acp/",
        {"title": "五戸町の人生会議", "body": "<script>x</script>話し合いましょう", "status": "published"},
    )
    assert response.status_code == 302
    page = PortalPage.objects.get(municipality=gonohe, topic="acp")
    assert page.body == "<script>x</script>話し合いましょう"  # stored as written, rendered safely
    shown = client.get("/portal/024422/topics/acp/").content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;話し合いましょう" in shown
    response = client.post("/staff/outreach/pages/024422/acp/images/", {"image": png(), "alt": ""})
    assert response.status_code == 400
    response = client.post(
        "/staff/outreach/pages/024422/acp/images/", {"image": png(), "alt": "家族の話し合い"}
    )
    assert response.status_code == 302
    assert page.images.get().alt == "家族の話し合い"


def test_a_professional_has_no_staff_pages(client, carol):
    client.force_login(carol)
    assert client.get("/staff/outreach/pages/").status_code == 403


def test_the_demo_pages_are_loaded_once(db, capsys):
    import sys

    from renkei.core import demo as core_demo
    from renkei.outreach import demo

    core_demo.load(sys.stdout)
    demo.load(sys.stdout)
    demo.load(sys.stdout)
    assert PortalPage.objects.filter(municipality=None, status="published").count() == 3
