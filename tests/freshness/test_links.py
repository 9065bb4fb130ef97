from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from renkei.directory.models import Facility
from renkei.freshness.models import ChangeRequest
from renkei.freshness.services import errors, links
from tests.freshness.helpers import facility_with_contact


@pytest.fixture(autouse=True)
def _clear_rate_counters():
    cache.clear()
    yield
    cache.clear()


PAGE = "/facilities/update/"  # the page of an opened link: no token in its address


def _path(link):
    return f"/facilities/update/{links.link_token(link)}/"


def _open(client, link):
    """Open the mailed address as a browser does: the token becomes a cookie, then the page."""
    return client.get(_path(link), follow=True)


def _form_data(facility: Facility, **changes) -> dict:
    data = {
        "name": facility.name, "name_kana": facility.name_kana, "category": facility.category,
        "postal_code": facility.postal_code, "address": facility.address, "status": facility.status,
        "care_office_number": facility.care_office_number or "", "medical_institution_id": "",
        "corporate_number": "", "phone": facility.phone, "fax": "", "url": "", "opening_hours": "",
        "capacity": "", "description": "", "acceptance_status": facility.acceptance_status,
        "acceptance_note": "", "direct_phone": "", "liaison_contact": "",
    }  # fmt: skip
    data.update(changes)
    return data


def test_a_facility_confirms_its_entry_unchanged_in_one_click(client, db):
    facility, contact = facility_with_contact(verified_at=datetime(2025, 1, 1, tzinfo=UTC))
    link = links.issue_link(facility, contact.email)

    page = _open(client, link)
    assert page.status_code == 200
    assert "変更なし" in page.content.decode()
    response = client.post(PAGE + "confirm/")

    assert response.status_code == 200
    facility.refresh_from_db()
    assert timezone.localdate(facility.verified_at) == timezone.localdate()
    assert facility.verified_by is None and facility.verified_via == "link"
    assert (
        facility.history.first().history_change_reason
        == "更新用リンク（office@example.invalid）: 変更なしを確認"
    )


def test_acceptance_and_capabilities_publish_at_once_but_the_name_waits_for_review(client, db):
    facility, contact = facility_with_contact(phone="0178-00-0001")
    link = links.issue_link(facility, contact.email)
    _open(client, link)

    response = client.post(
        PAGE,
        _form_data(facility, name="みなと訪問看護ステーション 本店", acceptance_status="not_accepting",
                   acceptance_note="12月は新規受入を停止", round_the_clock="true"),
    )  # fmt: skip

    assert response.status_code == 200, response.content.decode()
    facility.refresh_from_db()
    assert facility.acceptance_status == "not_accepting"
    assert facility.acceptance_note == "12月は新規受入を停止"
    assert facility.acceptance_stated_at == timezone.localdate()
    assert facility.round_the_clock is True
    assert "24時間対応" in facility.search_text
    assert facility.name == "みなと訪問看護ステーション"  # not yet
    change = ChangeRequest.objects.get()
    assert change.proposed == {"name": "みなと訪問看護ステーション 本店"}
    assert change.previous == {"name": "みなと訪問看護ステーション"}
    assert change.submitted_email == "office@example.invalid"
    assert facility.history.first().history_change_reason == "更新用リンク（office@example.invalid）で更新"


def test_a_tampered_link_changes_nothing(client, db):
    facility, contact = facility_with_contact()
    link = links.issue_link(facility, contact.email)
    token = links.link_token(link)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    response = client.post(f"/facilities/update/{tampered}/confirm/")

    assert response.status_code == 403
    assert "このリンクは正しくありません" in response.content.decode()
    facility.refresh_from_db()
    assert facility.verified_at is None


def test_an_expired_link_changes_nothing(client, db):
    facility, contact = facility_with_contact()
    with time_machine.travel(timezone.now() - timedelta(days=31), tick=False):
        link = links.issue_link(facility, contact.email)

    response = client.post(_path(link) + "confirm/")

    assert response.status_code == 403
    assert "有効期限が切れています" in response.content.decode()
    facility.refresh_from_db()
    assert facility.verified_at is None


def test_a_link_used_again_after_revocation_changes_nothing(client, db):
    facility, contact = facility_with_contact()
    link = links.issue_link(facility, contact.email)
    assert _open(client, link).status_code == 200
    links.revoke_link(link)

    response = client.post(PAGE, _form_data(facility, acceptance_status="accepting"))

    assert response.status_code == 403
    assert "無効になっています" in response.content.decode()
    again = client.get(_path(link))
    assert again.status_code == 403
    assert "無効になっています" in again.content.decode()
    facility.refresh_from_db()
    assert facility.acceptance_status == "unknown"


def test_a_link_reaches_only_its_own_facility(client, db):
    own, contact = facility_with_contact()
    other, _ = facility_with_contact(name="よその訪問看護", email="other@example.invalid")
    link = links.issue_link(own, contact.email)
    _open(client, link)

    # Whatever the form says, the link's facility is the one changed.
    client.post(PAGE, {**_form_data(own, acceptance_status="accepting"), "id": other.pk, "pk": other.pk})

    own.refresh_from_db()
    other.refresh_from_db()
    assert own.acceptance_status == "accepting"
    assert other.acceptance_status == "unknown" and other.verified_at is None
    # The token names the link row only: no e-mail address or facility name in the URL.
    assert "example" not in _path(link) and str(own.name) not in _path(link)


def test_link_use_is_rate_limited(client, db):
    facility, contact = facility_with_contact()
    link = links.issue_link(facility, contact.email)

    statuses = [client.get(_path(link)).status_code for _ in range(links.RATE_LIMIT + 1)]

    assert statuses[:-1] == [303] * links.RATE_LIMIT  # each one opens the page
    assert statuses[-1] == 429
    response = client.post(_path(link) + "confirm/")
    assert response.status_code == 429
    assert "一時的に使えません" in response.content.decode()
    facility.refresh_from_db()
    assert facility.verified_at is None


def test_a_closed_facility_opens_its_link_and_sees_it_is_closed(client, db):
    facility, contact = facility_with_contact(status="closed")
    link = links.issue_link(facility, contact.email)

    assert "廃止" in _open(client, link).content.decode()


def test_link_signature_carries_the_expiry_too(db):
    facility, contact = facility_with_contact()
    link = links.issue_link(facility, contact.email)
    token = links.link_token(link)

    assert links.resolve_link(token).pk == link.pk
    with pytest.raises(errors.LinkError):
        links.resolve_link(token, now=link.expires_at + timedelta(seconds=1))
    with time_machine.travel(timezone.now() + timedelta(days=40)), pytest.raises(errors.LinkError):
        links.resolve_link(token)
