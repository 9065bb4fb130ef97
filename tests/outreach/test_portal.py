"""The residents' portal: where to consult, per municipality, from the directory (public, no login)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.directory.search_fixtures import make_facility


@pytest.fixture
def desk(db):
    return make_facility(
        "八戸市東地域包括支援センター", "はちのへしひがしちいきほうかつしえんせんたー", "community_support_center", "022039",
        address="青森県八戸市湊町1", phone="0178-11-2233", opening_hours="平日 8:30〜17:15",
        verified_at=datetime(2026, 9, 1, 3, tzinfo=UTC), direct_phone="0178-99-9999",
    )  # fmt: skip


def test_the_region_page_lists_the_municipalities(client, db):
    page = client.get("/portal/").content.decode()
    for name, code in [("八戸市", "022039"), ("おいらせ町", "024121"), ("新郷村", "024503")]:
        assert f'href="/portal/{code}/">{name}</a>' in page


def test_the_municipality_page_shows_the_desk_with_hours_number_and_confirmation(client, directory, desk):
    response = client.get("/portal/022039/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "八戸市の相談窓口" in page
    assert "八戸市東地域包括支援センター" in page
    assert '<a href="tel:0178-11-2233">0178-11-2233</a>' in page
    assert "平日 8:30〜17:15" in page
    assert "2026年9月1日" in page
    assert "0178-99-9999" not in page  # the professional-only direct line
    # What else the directory holds there: 医療 3 (なかい, みなと, 櫛引), 介護 1 (the desk); the closed day service is left out.
    assert "医療（3件）" in page and "介護（1件）" in page and "地域資源（0件）" in page


def test_large_type_is_kept_across_links(client, desk):
    page = client.get("/portal/022039/", {"size": "large"}).content.decode()
    assert 'class="portal portal--large"' in page
    assert 'href="/portal/?size=large"' in page
    assert 'class="portal"' in client.get("/portal/022039/").content.decode()


def test_a_municipality_outside_the_region_is_not_found(client, db):
    assert client.get("/portal/131016/").status_code == 404
    assert client.get("/portal/abc/").status_code == 404


def test_the_menu_and_the_directory_pages_lead_to_the_portal(client, desk):
    # Anyone, logged in or not, finds the portal in the main menu.
    assert '<a href="/portal/">住民向けポータル</a>' in client.get("/portal/022039/").content.decode()
    assert 'href="/portal/"' in client.get("/facilities/").content.decode()
    detail = client.get(f"/facilities/{desk.pk}/").content.decode()
    assert '<a href="/portal/022039/">八戸市の相談窓口と住民向けの情報</a>' in detail
