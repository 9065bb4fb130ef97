"""A contact staff take off the list, or mark bounced, can no longer use the links sent to it;
the facility's other contacts keep theirs."""

from __future__ import annotations

import pytest

from renkei.freshness.models import FacilityContact
from renkei.freshness.services import links
from tests.freshness.helpers import facility_with_contact


@pytest.mark.parametrize("action", ["remove", "bounced"])
def test_a_removed_or_bounced_contact_cannot_open_its_links_any_more(client, bob, action):
    facility, contact = facility_with_contact(code="024422", email="old@example.invalid")
    other = FacilityContact.objects.create(facility=facility, email="new@example.invalid")
    first = links.link_token(links.issue_link(facility, contact.email))
    second = links.link_token(links.issue_link(facility, contact.email))
    kept = links.link_token(links.issue_link(facility, other.email))
    assert client.get(f"/facilities/update/{first}/", follow=True).status_code == 200
    client.force_login(bob)

    client.post(f"/staff/directory/facilities/{facility.pk}/contacts/{contact.pk}/", {"action": action})
    client.logout()

    for token in (first, second):
        response = client.get(f"/facilities/update/{token}/")
        assert response.status_code == 403
        assert "このリンクは無効になっています。" in response.content.decode()
    assert client.get(f"/facilities/update/{kept}/", follow=True).status_code == 200
