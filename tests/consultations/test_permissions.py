"""Who sees what: desk staff their desk's records; municipality staff and region administrators counts."""

from __future__ import annotations

import pytest

from renkei.core import permissions
from renkei.core.models import AccessLog
from tests.consultations.conftest import make_consultation, tokyo
from tests.core.totp import verified_login

SECRET = "長男が金銭管理に困っている件"


@pytest.fixture
def records(gonohe_desk, hachinohe_desk):
    return {
        "gonohe": [
            make_consultation(gonohe_desk, tokyo(2024, 5, 1, 9, 0), summary=SECRET),
            make_consultation(gonohe_desk, tokyo(2024, 5, 2, 9, 0), requester_type="care_provider"),
        ],
        "hachinohe": [make_consultation(hachinohe_desk, tokyo(2024, 5, 3, 9, 0), summary="八戸の相談")],
    }


def statistics_total(client) -> int:
    response = client.get("/consultations/statistics/", {"fiscal_year": 2024})
    assert response.status_code == 200
    return response.context["statistics"].total


def test_visiting_nurse_has_no_access_to_the_desk_at_all(client, carol, records):
    verified_login(client, carol)
    assert "相談記録" not in client.get("/staff/").content.decode()
    for url in [
        "/consultations/",
        "/consultations/new/",
        "/consultations/statistics/",
        "/consultations/statistics.xlsx",
        "/consultations/records.csv",
        "/consultations/import/template.csv",
        "/consultations/import/",
        "/consultations/categories/",
        "/consultations/facilities.json?q=病院",
        f"/consultations/{records['gonohe'][0].pk}/",
    ]:
        assert client.get(url).status_code == 403, url
    assert client.get("/api/v1/consultations/").status_code == 403
    assert client.get("/api/v1/consultations/statistics").status_code == 403


def test_anonymous_visitor_is_sent_to_the_login_page(client, records):
    response = client.get("/consultations/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/consultations/").status_code == 401


def test_desk_staff_sees_and_opens_only_her_desks_records(client, dan, records):
    verified_login(client, dan)
    assert "相談記録" in client.get("/staff/").content.decode()
    listed = client.get("/consultations/").context["page"].object_list
    assert sorted(c.pk for c in listed) == sorted(c.pk for c in records["gonohe"])

    own = records["gonohe"][0]
    page = client.get(f"/consultations/{own.pk}/")
    assert page.status_code == 200
    assert SECRET in page.content.decode()
    assert (
        AccessLog.objects.filter(
            action="view", subject_type="consultation", subject_id=str(own.pk), user=dan
        ).count()
        == 1
    )

    other = records["hachinohe"][0]
    assert client.get(f"/consultations/{other.pk}/").status_code == 403
    assert AccessLog.objects.filter(action="denied", subject_id=str(other.pk), user=dan).exists()
    assert client.post(f"/consultations/{other.pk}/follow-ups/", {}).status_code == 403


def test_desk_staff_counts_only_her_own_desk_even_when_asking_for_another(
    client, dan, records, hachinohe_desk
):
    verified_login(client, dan)
    assert statistics_total(client) == 2
    response = client.get(
        "/consultations/statistics/", {"fiscal_year": 2024, "scope": f"d{hachinohe_desk.pk}"}
    )
    assert response.context["statistics"].total == 2
    assert client.get("/api/v1/consultations/statistics", {"desk_id": hachinohe_desk.pk}).status_code == 403


def test_municipality_staff_sees_his_municipalitys_counts_but_no_summaries(client, bob, records, gonohe_desk):
    verified_login(client, bob)
    assert statistics_total(client) == 2
    page = client.get("/consultations/statistics/", {"fiscal_year": 2024})
    assert SECRET not in page.content.decode()
    assert "八戸市医師会" not in page.content.decode()
    assert client.get(f"/consultations/{records['gonohe'][0].pk}/").status_code == 403
    # His own office is a desk of its own, with no records: the 地域包括's records are not his.
    assert list(client.get("/consultations/").context["page"].object_list) == []
    api = client.get("/api/v1/consultations/statistics", {"fiscal_year": 2024, "municipality_code": "024422"})
    assert api.json()["total"] == 2
    assert client.get("/api/v1/consultations/statistics", {"municipality_code": "022039"}).status_code == 403


def test_region_admin_sees_region_wide_counts_but_not_the_records(client, alice, records, gonohe_desk):
    verified_login(client, alice)
    assert statistics_total(client) == 3
    by_municipality = client.get(
        "/consultations/statistics/", {"fiscal_year": 2024, "scope": f"m{gonohe_desk.municipality_id}"}
    )
    assert by_municipality.context["statistics"].total == 2
    assert client.get(f"/consultations/{records['gonohe'][0].pk}/").status_code == 403
    assert client.get("/consultations/categories/").status_code == 200


def test_only_region_admins_edit_the_category_list(client, bob, dan, alice):
    for user in (bob, dan):
        verified_login(client, user)
        assert client.get("/consultations/categories/").status_code == 403
        assert (
            client.post("/consultations/categories/", {"action": "add", "name": "新区分"}).status_code == 403
        )
    assert permissions.can_manage_consultation_categories(alice)


def test_a_deactivated_desk_member_loses_access(client, dan, records):
    dan.is_active = False
    dan.save()
    assert not permissions.can_use_consultations(dan)
    assert not permissions.can_view_consultation(dan, records["gonohe"][0])


def test_desk_records_need_the_second_factor(client, dan):
    client.force_login(dan)
    response = client.get("/consultations/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/setup/")
    api = client.get("/api/v1/consultations/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "otp_required"
