"""The usage per organisation for a 年度 (teams, posts, 入退院 documents, the median time to answer a
至急 post), counted by hand on a small care team; aggregate only, for region staff only."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from renkei.sharing.models import CareTeamMembership, Post, PostRead
from renkei.transitions.models import TransitionDocument
from renkei.transitions.services.usage import usage_for
from tests.transitions.conftest import admit, tokyo


@pytest.fixture
def team(cm, carol, liaison, patient):
    """年度2026. cm's office (O1) and carol's station (O2) are on the patient's team from 11/1; the
    hospital (O3) is not.
    至急 by cm: U1 12/1 10:00 (carol replies 10:20, reads 10:30 → 20 min), U2 12/2 09:00 (carol
    reads 11:00 → 120 min), U3 12/2 12:00 (never answered); U0 2026-03-01 (年度2025, not counted).
    至急 by carol: U4 12/2 13:00 (cm reads 13:05 → 5 min). Also carol's ordinary post and her reply.
    cm sent one 入院時情報提供書 to the hospital's liaison on 12/2."""
    CareTeamMembership.objects.create(
        patient=patient, user=carol, organization=carol.organization, team_role="visiting_nurse"
    )
    CareTeamMembership.objects.filter(patient=patient).update(joined_at=tokyo(2026, 11, 1))

    def post(author, when, urgent=True, parent=None):
        return Post.objects.create(
            patient=patient,
            author=author,
            category="other",
            urgent=urgent,
            body="投稿の中身です",
            created_at=when,
            parent=parent,
        )

    u1 = post(cm, tokyo(2026, 12, 1, 10))
    post(carol, tokyo(2026, 12, 1, 10, 20), urgent=False, parent=u1)
    PostRead.objects.create(post=u1, user=carol, read_at=tokyo(2026, 12, 1, 10, 30))
    u2 = post(cm, tokyo(2026, 12, 2, 9))
    PostRead.objects.create(post=u2, user=carol, read_at=tokyo(2026, 12, 2, 11))
    post(cm, tokyo(2026, 12, 2, 12))
    post(cm, tokyo(2026, 3, 1, 12))
    u4 = post(carol, tokyo(2026, 12, 2, 13))
    PostRead.objects.create(post=u4, user=cm, read_at=tokyo(2026, 12, 2, 13, 5))
    post(carol, tokyo(2026, 12, 2, 14), urgent=False)
    episode = admit(cm, patient, tokyo(2026, 12, 1, 9), liaison_user=liaison)
    TransitionDocument.objects.create(
        patient=patient, episode=episode, kind="admission_info", author=cm, sent_at=tokyo(2026, 12, 2, 9)
    )


def _rows(usage):
    return {
        row.name: (
            row.teams,
            row.posts,
            row.documents_sent,
            row.documents_received,
            row.urgent_received,
            row.urgent_answered,
            row.median_response,
        )
        for row in usage.rows
    }


def test_the_region_administrator_sees_each_organisation(alice, cm, carol, liaison, team):
    rows = _rows(usage_for(alice, 2026))
    assert rows[cm.organization.name] == (1, 3, 1, 0, 1, 1, "0時間05分")
    assert rows[carol.organization.name] == (1, 3, 0, 0, 3, 2, "1時間10分")
    assert rows[liaison.organization.name] == (0, 0, 0, 1, 0, 0, "—")
    assert rows[alice.organization.name] == (0, 0, 0, 0, 0, 0, "—")


def test_municipality_staff_see_the_organisations_of_their_municipality(bob, team):
    assert _rows(usage_for(bob, 2026)) == {bob.organization.name: (0, 0, 0, 0, 0, 0, "—")}


def test_only_region_staff_see_the_usage(cm, carol, liaison, team, client):
    for user in (cm, carol, liaison):
        with pytest.raises(PermissionDenied):
            usage_for(user, 2026)
        client.force_login(user)
        assert client.get("/transitions/usage/").status_code == 403
        assert client.get("/transitions/usage.xlsx").status_code == 403


def test_the_page_and_its_excel_file_name_no_patient(alice, carol, team, client):
    client.force_login(alice)
    page = client.get("/transitions/usage/", {"fiscal_year": 2026}).content.decode()
    assert carol.organization.name in page and "1時間10分" in page
    assert "架空 花子" not in page and "投稿の中身です" not in page
    response = client.get("/transitions/usage.xlsx", {"fiscal_year": 2026})
    rows = {
        row[0]: list(row[1:])
        for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
    }
    assert rows[carol.organization.name] == ["訪問看護ステーション", 1, 3, 0, 0, 3, 2, 70.0]
