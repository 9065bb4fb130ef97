from __future__ import annotations

import pytest
from django.urls import reverse

from renkei.core.models import Municipality
from tests.conftest import PASSWORD

REGION_NAMES = ["八戸市", "おいらせ町", "三戸町", "五戸町", "田子町", "南部町", "階上町", "新郷村"]


@pytest.mark.django_db
def test_anonymous_visitor_sees_the_region_and_its_eight_municipalities(client):
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja">' in page
    assert "八戸地域保健医療圏域" in page
    for name in REGION_NAMES:
        assert name in page
    assert "ログイン" in page


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "https://cyberjapandata.gsi.go.jp" in policy


@pytest.mark.django_db
def test_staff_page_sends_anonymous_visitor_to_login(client):
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_municipality_staff_sees_the_region_table_but_no_add_button(client, bob):
    client.force_login(bob)
    page = client.get(reverse("staff:home")).content.decode()
    assert "024422" in page and "五戸町" in page
    assert "市町村を追加" not in page
    assert client.get(reverse("staff:municipality_add")).status_code == 403


def test_region_admin_adds_a_municipality_from_the_page(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("staff:municipality_add"), {"code": "022012", "name": "青森市", "kana": "あおもりし"}
    )
    assert response.status_code == 302
    assert Municipality.objects.get(code="022012").region.slug == "hachinohe"
    assert (
        "青森市（022012）を八戸地域保健医療圏域に追加しました。"
        in client.get(response["Location"]).content.decode()
    )


def test_region_admin_gets_a_japanese_error_for_a_wrong_check_digit(client, alice):
    client.force_login(alice)
    response = client.post(reverse("staff:municipality_add"), {"code": "022013", "name": "青森市"})
    assert response.status_code == 400
    assert "検査数字（6桁目）が正しくありません" in response.content.decode()
    assert not Municipality.objects.filter(code="022013").exists()


def test_login_with_the_right_password_opens_the_staff_page(client, carol):
    response = client.post(reverse("login"), {"username": "carol", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff:home")
    assert "八戸 キャロル" in response.content.decode()


def test_repeated_failed_logins_lock_the_account(client, carol):
    for _ in range(5):
        client.post(reverse("login"), {"username": "carol", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "carol", "password": PASSWORD})
    assert response.status_code == 429
    assert "一時的にロックされました" in response.content.decode()


@pytest.mark.django_db
def test_unknown_page_answers_in_japanese_without_details(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "ページが見つかりません" in page
    assert "Traceback" not in page and "urlpatterns" not in page


@pytest.mark.django_db
def test_idle_session_expires_after_thirty_minutes(client, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_REFRESH_SECONDS == 60


def test_help_texts_are_tied_to_their_inputs_for_screen_readers(client, alice):
    import re

    client.force_login(alice)
    page = client.get(reverse("staff:municipality_add")).content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', page)
    assert "id_code_helptext" in described
    for target in described:
        assert f'id="{target}"' in page
