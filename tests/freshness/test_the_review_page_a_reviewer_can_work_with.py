"""The review page shows who sent the change and links to the facility, has a real correction form
(a visible label per field, the error beside it), ignores a double submit, and an approved name
brings its ふりがな."""

from __future__ import annotations

import re

from renkei.freshness.models import ChangeRequest
from renkei.freshness.services import links, review, updates
from tests.freshness.helpers import facility_with_contact


def _pending_change(**proposed):
    facility, contact = facility_with_contact(name="五戸ナースステーション", code="024422")
    facility.name_kana = "ごのへなーすすてーしょん"
    facility.save()
    link = links.issue_link(facility, contact.email)
    values = {"name": facility.name, "address": facility.address, "status": facility.status, **proposed}
    return facility, updates.apply_link_edit(link, values).change_request


def test_the_page_names_the_sender_and_links_the_facility(client, bob):
    facility, change = _pending_change(address="五戸町字古舘2")
    client.force_login(bob)

    page = client.get(f"/staff/directory/reviews/{change.pk}/").content.decode()

    sender = re.search(r'data-testid="review-sender">(.*?)</dd>', page, re.S).group(1)
    assert "更新用リンクから" in sender and "office@example.invalid" in sender
    assert f'href="/facilities/{facility.pk}/"' in page


def test_the_correction_form_has_a_visible_label_per_field(client, bob):
    _, change = _pending_change(address="五戸町字古舘2")
    client.force_login(bob)

    page = client.get(f"/staff/directory/reviews/{change.pk}/").content.decode()

    form = re.search(r'<form[^>]*data-testid="review-form".*?</form>', page, re.S).group(0)
    assert '<label for="edit_address">所在地</label>' in form
    assert 'id="edit_address" name="edit_address" value="五戸町字古舘2"' in form
    assert "visually-hidden" not in form


def test_a_double_submit_is_ignored(client, bob):
    facility, change = _pending_change(address="五戸町字古舘2")
    client.force_login(bob)
    url = f"/staff/directory/reviews/{change.pk}/"

    first = client.post(url, {"action": "approve", "edit_address": "五戸町字古舘2"})
    second = client.post(url, {"action": "approve", "edit_address": "五戸町字古舘2"}, follow=True)

    assert first.status_code == 302
    assert second.status_code == 200
    assert "この申請はすでに処理されています。" in second.content.decode()
    assert "承認できませんでした" not in second.content.decode()
    assert facility.history.filter(history_change_reason=f"変更申請 #{change.pk} を承認").count() == 1


def test_an_approved_name_updates_the_furigana_the_reviewer_confirms(client, bob):
    facility, change = _pending_change(name="五戸訪問看護ステーション本部")
    client.force_login(bob)
    url = f"/staff/directory/reviews/{change.pk}/"

    page = client.get(url).content.decode()
    assert '<label for="edit_name_kana">名称（ふりがな） <span class="required">必須</span></label>' in page

    empty = client.post(
        url, {"action": "approve", "edit_name": "五戸訪問看護ステーション本部", "edit_name_kana": ""}
    )
    assert empty.status_code == 400
    assert "名称が変わるため、名称（ふりがな）を入力してください。" in empty.content.decode()

    client.post(
        url,
        {
            "action": "approve",
            "edit_name": "五戸訪問看護ステーション本部",
            "edit_name_kana": "ゴノヘホウモンカンゴ",
        },
    )

    facility.refresh_from_db()
    assert (facility.name, facility.name_kana) == ("五戸訪問看護ステーション本部", "ごのへほうもんかんご")
    assert "ごのへほうもんかんご" in facility.search_text


def test_a_kana_name_brings_its_reading_without_the_form(bob):
    facility, change = _pending_change(name="ごのへナースステーション")

    review.approve_change(change, bob)

    facility.refresh_from_db()
    assert facility.name_kana == "ごのへなーすすてーしょん"
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
