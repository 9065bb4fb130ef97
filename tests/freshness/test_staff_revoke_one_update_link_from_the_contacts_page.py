"""The facility's contacts page lists the links that still work, each with 「リンクを無効にする」."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from renkei.freshness.services import links
from tests.freshness.helpers import facility_with_contact


def test_staff_revoke_one_link_and_it_stops_working_while_the_other_still_works(client, bob):
    facility, contact = facility_with_contact(code="024422")
    with time_machine.travel(datetime(2026, 3, 1, 1, tzinfo=UTC), tick=False):
        old = links.issue_link(facility, contact.email)
    with time_machine.travel(datetime(2026, 3, 10, 1, tzinfo=UTC), tick=False):
        wrong = links.issue_link(facility, "typo@example.invalid")
        expired = links.issue_link(facility, contact.email, now=datetime(2026, 1, 1, tzinfo=UTC))
        client.force_login(bob)

        page = client.get(f"/staff/directory/facilities/{facility.pk}/contacts/").content.decode()
        assert page.count("リンクを無効にする") == 2  # the expired link is not listed
        assert "typo@example.invalid" in page
        assert f"/staff/directory/facilities/{facility.pk}/links/{expired.pk}/revoke/" not in page

        response = client.post(
            f"/staff/directory/facilities/{facility.pk}/links/{wrong.pk}/revoke/", follow=True
        )

        assert "typo@example.invalid に送ったリンク（2026年03月10日 発行）を無効にしました。" in (
            response.content.decode()
        )
        assert response.content.decode().count("リンクを無効にする") == 1
        client.logout()
        assert client.get(f"/facilities/update/{links.link_token(wrong)}/").status_code == 403
        assert client.get(f"/facilities/update/{links.link_token(old)}/", follow=True).status_code == 200


def test_staff_of_another_municipality_cannot_revoke_a_link(client, hachinohe):
    from renkei.core.models import Organization, User
    from tests.conftest import make_user

    office = Organization.objects.create(
        name="八戸市役所 テスト課", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=hachinohe
    )
    facility, contact = facility_with_contact(code="024422")
    link = links.issue_link(facility, contact.email)
    client.force_login(make_user("hachinohe_staff", office, User.Role.MUNICIPALITY_STAFF))

    response = client.post(f"/staff/directory/facilities/{facility.pk}/links/{link.pk}/revoke/")

    assert response.status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None
