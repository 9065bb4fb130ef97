"""「修正して承認」 checks the reviewer's corrections like any other edit: a malformed code or a name
too long for the entry gives a Japanese message, and nothing is saved (on SQLite as on PostgreSQL)."""

from __future__ import annotations

import pytest

from renkei.freshness.models import ChangeRequest
from renkei.freshness.services import links, updates
from tests.freshness.helpers import facility_with_contact


def _pending_change(**proposed):
    facility, contact = facility_with_contact(name="五戸ナースステーション", code="024422")
    link = links.issue_link(facility, contact.email)
    return facility, updates.apply_link_edit(link, proposed).change_request


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("care_office_number", "abc", "介護保険事業所番号: 10桁の数字で入力してください。"),
        ("name", "長" * 400, "名称: "),
    ],
)
def test_a_correction_the_entry_cannot_hold_is_refused_and_nothing_is_saved(
    client, bob, field, value, message
):
    facility, change = _pending_change(name="五戸ナースステーション 本部", care_office_number="0291000009")
    versions = facility.history.count()
    client.force_login(bob)

    response = client.post(
        f"/staff/directory/reviews/{change.pk}/",
        {
            "action": "approve",
            "edit_name": "五戸ナースステーション 本部",
            "edit_care_office_number": "0291000009",
            f"edit_{field}": value,
        },
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    facility.refresh_from_db()
    assert (facility.name, facility.care_office_number) == ("五戸ナースステーション", None)
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.PENDING
    assert facility.history.count() == versions  # no version from the refusal


def test_the_correction_form_starts_from_the_proposed_values_not_their_display(client, bob):
    # A proposal that empties a code shows 「（なし）」 in the diff, but the correction field is empty,
    # so approving as proposed stores no code rather than the words 「（なし）」.
    facility, contact = facility_with_contact(
        name="五戸ナースステーション", code="024422", care_office_number="0291000009"
    )
    link = links.issue_link(facility, contact.email)
    change = updates.apply_link_edit(link, {"care_office_number": None}).change_request
    client.force_login(bob)

    page = client.get(f"/staff/directory/reviews/{change.pk}/").content.decode()
    assert 'name="edit_care_office_number" value=""' in page
    response = client.post(
        f"/staff/directory/reviews/{change.pk}/", {"action": "approve", "edit_care_office_number": ""}
    )

    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.care_office_number is None
