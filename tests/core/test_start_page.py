"""The page after login fits the person: care staff their patients and unread posts, desk staff the
follow-ups due, municipal staff and region administrators the pending 変更申請 and overdue entries."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from renkei.consultations import services as consultation_services
from renkei.core import permissions
from renkei.core.models import User
from renkei.freshness.services.dashboard import dashboard
from renkei.sharing import services as sharing_services
from tests.core.totp import verified_login


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def _page(client, username: str, *, verified: bool = False) -> str:
    user = User.objects.get(username=username)
    if verified:
        verified_login(client, user)
    else:
        client.force_login(user)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.content.decode()


def test_demo_has_a_municipal_staff_account_of_shingo(demo):
    municipal = User.objects.get(username="demo-municipal")
    assert municipal.role == User.Role.MUNICIPALITY_STAFF
    assert municipal.organization.name.startswith("新郷村役場")
    printed = StringIO()
    call_command("load_demo", stdout=printed)
    assert "demo-municipal" in printed.getvalue()


def test_care_staff_see_their_patients_and_unread_counts(client, demo):
    nurse = User.objects.get(username="demo-nurse")
    entries = sharing_services.home_list(nurse)
    page = _page(client, "demo-nurse", verified=True)
    assert 'data-testid="start-patients"' in page
    assert f'data-testid="start-unread">{sum(e.unread for e in entries)}<' in page
    assert f'data-testid="start-urgent">{sum(e.unread_urgent for e in entries)}<' in page
    assert "架空 梅子（デモ）" in page
    for other in [
        'data-testid="start-desk"',
        'data-testid="start-freshness"',
        'data-testid="municipality-table"',
    ]:
        assert other not in page


def test_patient_names_wait_for_the_second_factor(client, demo):
    page = _page(client, "demo-nurse")
    assert 'data-testid="start-patients"' in page
    assert "架空 梅子（デモ）" not in page
    assert "確認コードを入力" in page


def test_desk_staff_see_the_follow_ups_due(client, demo):
    counsellor = User.objects.get(username="demo-desk")
    due = consultation_services.due_for_follow_up([permissions.consultation_desk_of(counsellor)])
    page = _page(client, "demo-desk")
    assert f'data-testid="start-due">{due}<' in page
    assert 'data-testid="start-freshness"' not in page


@pytest.mark.parametrize("username", ["demo-admin", "demo-municipal"])
def test_municipal_staff_and_region_admins_see_pending_changes_and_overdue_entries(client, demo, username):
    figures = dashboard(User.objects.get(username=username))
    page = _page(client, username)
    assert f'data-testid="start-pending-reviews">{figures.pending_reviews}<' in page
    assert f'data-testid="start-overdue">{figures.overdue_count}<' in page
    assert 'data-testid="municipality-table"' in page
    assert 'data-testid="area-links"' in page
    assert 'href="/staff/directory/freshness/"' in page
    if username == "demo-admin":
        assert 'data-testid="start-desk"' not in page, "a region administrator sees desk counts only"


def test_review_queue_is_in_the_menu(client, demo):
    page = _page(client, "demo-municipal")
    assert '<a href="/staff/directory/reviews/"' in page
    assert '<a href="/staff/directory/reviews/"' not in _page(client, "demo-nurse")
