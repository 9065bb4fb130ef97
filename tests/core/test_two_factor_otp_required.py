from __future__ import annotations

from tests.core.totp import confirmed_totp_device, totp_code

PAGE = "/accounts/api-tokens/"


def test_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/api-tokens/"


def test_person_without_an_authenticator_is_sent_to_set_one_up(client, bob):
    client.force_login(bob)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/setup/?next=%2Faccounts%2Fapi-tokens%2F"


def test_person_with_an_authenticator_but_no_code_yet_is_sent_to_the_code_page(client, carol):
    confirmed_totp_device(carol)
    client.force_login(carol)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/verify/?next=%2Faccounts%2Fapi-tokens%2F"


def test_verified_person_sees_the_page_and_it_is_not_cached(client, carol):
    device = confirmed_totp_device(carol)
    client.force_login(carol)
    client.post("/accounts/2fa/verify/", {"code": totp_code(device)})
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_demo_admin_sees_the_staff_page_without_a_second_factor(client, alice):
    client.force_login(alice)
    assert client.get("/staff/").status_code == 200


def test_an_htmx_request_from_an_unverified_session_reloads_the_whole_page_to_the_code_page(client, carol):
    confirmed_totp_device(carol)
    client.force_login(carol)
    response = client.get(
        PAGE,
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/accounts/api-tokens/?page=2"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/2fa/verify/?next=%2Faccounts%2Fapi-tokens%2F%3Fpage%3D2"
