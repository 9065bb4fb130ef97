"""A region administrator whose organisation is itself a desk (the demo's 八戸市医師会) sees the
region's counts, never the desk's summaries; the desk's own professionals still read them."""

from __future__ import annotations

import time_machine

from renkei.consultations.models import Consultation
from renkei.core import permissions
from renkei.core.models import User
from tests.conftest import make_user
from tests.consultations.api_client import bearer
from tests.consultations.conftest import make_consultation, tokyo
from tests.core.totp import verified_login


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_region_admin_cannot_open_or_list_her_own_organisations_consultations(client, alice):
    desk = alice.organization
    case = make_consultation(desk, tokyo(2024, 5, 1, 9, 0), summary="自宅での看取りを希望")
    verified_login(client, alice)
    assert client.get(f"/consultations/{case.pk}/").status_code == 403
    listing = client.get("/consultations/")
    assert "自宅での看取りを希望" not in listing.content.decode()
    assert client.get("/consultations/new/").status_code == 403
    assert client.get("/api/v1/consultations/", **bearer(alice)).status_code == 403
    statistics = client.get("/api/v1/consultations/statistics", {"fiscal_year": 2024}, **bearer(alice))
    assert statistics.status_code == 200
    assert statistics.json()["total"] == 1
    assert "自宅での看取りを希望" not in statistics.content.decode()
    assert permissions.consultation_desk_of(alice) is None


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_region_admin_counts_her_own_organisations_cases_on_the_statistics_page(client, alice):
    make_consultation(alice.organization, tokyo(2024, 5, 1, 9, 0), summary="自宅での看取りを希望")
    make_consultation(alice.organization, tokyo(2024, 5, 2, 9, 0), summary="訪問診療先の相談")
    verified_login(client, alice)
    response = client.get("/consultations/statistics/", {"fiscal_year": 2024})
    assert response.status_code == 200
    assert response.context["statistics"].total == 2
    assert "自宅での看取りを希望" not in response.content.decode()


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_professional_of_the_same_organisation_still_reads_the_summary(client, alice):
    desk = alice.organization
    case = make_consultation(desk, tokyo(2024, 5, 1, 9, 0), summary="自宅での看取りを希望")
    counsellor = make_user(
        "frank",
        desk,
        User.Role.PROFESSIONAL,
        profession=User.Profession.SOCIAL_WORKER,
        full_name="医師会 フランク",
    )
    verified_login(client, counsellor)
    page = client.get(f"/consultations/{case.pk}/")
    assert page.status_code == 200
    assert "自宅での看取りを希望" in page.content.decode()
    assert Consultation.objects.count() == 1
