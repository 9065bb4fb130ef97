"""Rejecting a change while the mail server is down: the rejection is recorded (the reviewer's
decision does not depend on the mail), and the reviewer is told in Japanese to pass the reason on."""

from __future__ import annotations

from renkei.freshness.models import ChangeRequest
from renkei.freshness.services import links, updates
from tests.freshness.helpers import facility_with_contact


def test_a_rejection_is_kept_and_the_reviewer_is_told_the_mail_did_not_go_out(client, bob, settings):
    facility, contact = facility_with_contact(name="五戸ナースステーション", code="024422")
    link = links.issue_link(facility, contact.email)
    change = updates.apply_link_edit(link, {"name": "五戸ナースステーション 本部"}).change_request
    settings.EMAIL_BACKEND = "tests.freshness.helpers.FailingBackend"
    client.force_login(bob)

    response = client.post(
        f"/staff/directory/reviews/{change.pk}/",
        {"action": "reject", "reason": "名称の変更届が確認できません。"},
        follow=True,
    )

    assert response.status_code == 200
    assert "理由のメールを申請元に送れませんでした" in response.content.decode()
    change.refresh_from_db()
    assert (change.status, change.reason, change.reviewer) == (
        ChangeRequest.Status.REJECTED,
        "名称の変更届が確認できません。",
        bob,
    )
    facility.refresh_from_db()
    assert facility.name == "五戸ナースステーション"
