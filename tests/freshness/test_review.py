from __future__ import annotations

from django.core import mail

from renkei.freshness.models import ChangeRequest
from renkei.freshness.services import errors, links, review, updates
from tests.freshness.helpers import facility_with_contact


def _pending_change(code="024422", **proposed):
    facility, contact = facility_with_contact(name="五戸ナースステーション", code=code)
    link = links.issue_link(facility, contact.email)
    values = {"name": facility.name, "address": facility.address, "status": facility.status, **proposed}
    result = updates.apply_link_edit(link, values)
    return facility, result.change_request


def test_staff_approve_a_new_name_shown_side_by_side(client, bob):
    facility, change = _pending_change(name="五戸ナースステーション 本部", address="五戸町字古舘2")
    client.force_login(bob)

    queue = client.get("/staff/directory/reviews/").content.decode()
    assert "五戸ナースステーション" in queue
    page = client.get(f"/staff/directory/reviews/{change.pk}/").content.decode()
    assert "五戸ナースステーション 本部" in page and "五戸町字古舘2" in page
    response = client.post(f"/staff/directory/reviews/{change.pk}/", {"action": "approve"})

    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.name, facility.address) == ("五戸ナースステーション 本部", "五戸町字古舘2")
    assert facility.verified_by == bob
    assert "本部" in facility.search_text
    change.refresh_from_db()
    assert (change.status, change.reviewer) == ("approved", bob)
    assert facility.history.first().history_user == bob


def test_staff_correct_a_proposal_before_approving_it(client, bob):
    facility, change = _pending_change(address="五戸町字古舘 2")
    client.force_login(bob)

    client.post(
        f"/staff/directory/reviews/{change.pk}/", {"action": "approve", "edit_address": "五戸町字古舘2番地"}
    )

    facility.refresh_from_db()
    assert facility.address == "五戸町字古舘2番地"


def test_a_rejection_is_emailed_with_its_reason(client, bob):
    facility, change = _pending_change(status="closed")
    client.force_login(bob)

    empty = client.post(f"/staff/directory/reviews/{change.pk}/", {"action": "reject", "reason": ""})
    assert empty.status_code == 400
    response = client.post(
        f"/staff/directory/reviews/{change.pk}/",
        {"action": "reject", "reason": "廃止の届出が確認できません。"},
    )

    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.status == "active"
    change.refresh_from_db()
    assert (change.status, change.reason) == ("rejected", "廃止の届出が確認できません。")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["office@example.invalid"]
    assert "廃止の届出が確認できません。" in mail.outbox[0].body
    assert "五戸ナースステーション" in mail.outbox[0].subject


def test_an_approved_closure_hides_the_facility_from_search_but_keeps_its_page(client, bob):
    facility, change = _pending_change(status="closed")
    review.approve_change(change, bob)

    assert "五戸ナースステーション" not in client.get("/facilities/", {"q": "五戸ナース"}).content.decode()
    assert "廃止" in client.get(f"/facilities/{facility.pk}/").content.decode()
    latest = facility.history.first()
    assert (latest.status, latest.history_change_reason) == ("closed", f"変更申請 #{change.pk} を承認")
    assert facility.history.filter(status="active").exists()  # the open versions stay


def test_staff_of_another_municipality_cannot_review(client, bob):
    _, change = _pending_change(code="022039", name="八戸の新しい名前")
    client.force_login(bob)

    assert client.get(f"/staff/directory/reviews/{change.pk}/").status_code == 403
    assert client.post(f"/staff/directory/reviews/{change.pk}/", {"action": "approve"}).status_code == 403
    assert "確認待ちの申請はありません" in client.get("/staff/directory/reviews/").content.decode()
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.PENDING


def test_a_processed_change_cannot_be_approved_again(bob):
    _, change = _pending_change(name="新しい名前")
    review.reject_change(change, bob, "確認できません")

    import pytest

    with pytest.raises(errors.ReviewError):
        review.approve_change(change, bob)


def test_a_care_office_number_already_used_elsewhere_is_refused_with_a_clear_message(client, bob):
    from tests.directory.search_fixtures import make_facility

    make_facility("別の事業所", "", "clinic", "024422", care_office_number="0291000009")
    facility, change = _pending_change(care_office_number="0291000009")
    client.force_login(bob)

    response = client.post(f"/staff/directory/reviews/{change.pk}/", {"action": "approve"})

    assert response.status_code == 400
    assert "別の施設に登録されています" in response.content.decode()
    facility.refresh_from_db()
    assert facility.care_office_number is None
