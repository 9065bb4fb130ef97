"""The registering organisation always keeps someone on the team. When its last two members
leave at the same moment, one leaves and the other is told they are the last — the record is
never left with nobody to manage it.

The race needs two database connections at once, so the concurrent case runs on PostgreSQL (on
SQLite a writer holds the whole database, and its in-memory test database is one connection)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from renkei.sharing import services
from renkei.sharing.models import CareTeamMembership, TeamRole
from renkei.sharing.services import team as team_services
from tests.sharing.conftest import add_member

LAST_MEMBER = "登録した組織の最後のメンバーはチームから外れられません"


def test_of_two_owner_members_the_second_to_leave_is_refused(cm, cm_colleague, patient):
    add_member(patient, cm, cm_colleague, TeamRole.CARE_MANAGER)
    first = CareTeamMembership.objects.get(patient=patient, user=cm)
    second = CareTeamMembership.objects.get(patient=patient, user=cm_colleague)

    services.end_membership(cm, first, CareTeamMembership.EndReason.LEFT)
    with pytest.raises(services.SharingError, match=LAST_MEMBER):
        services.end_membership(cm_colleague, second, CareTeamMembership.EndReason.LEFT)

    assert list(CareTeamMembership.objects.filter(patient=patient, left_at=None).values_list("user_id")) == [
        (cm_colleague.pk,)
    ]


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_last_two_owner_members_leaving_at_the_same_moment_leave_one_behind(
    region_data, cm, cm_colleague, patient, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("two concurrent writers need PostgreSQL")
    add_member(patient, cm, cm_colleague, TeamRole.CARE_MANAGER)
    first_has_checked = threading.Event()
    release_first = threading.Event()
    real_check = team_services._owner_members_left

    def check_then_hold(patient_, excluding):
        # The first leaver checks that a colleague remains, then is held before writing, so the
        # second leaver arrives exactly inside the first one's check-then-write window.
        result = real_check(patient_, excluding)
        if threading.current_thread().name == "first":
            first_has_checked.set()
            release_first.wait(timeout=30)
        return result

    monkeypatch.setattr(team_services, "_owner_members_left", check_then_hold)
    outcomes: dict[str, str] = {}

    def leave(user):
        try:
            membership = CareTeamMembership.objects.get(patient=patient, user=user, left_at=None)
            services.end_membership(user, membership, CareTeamMembership.EndReason.LEFT)
            outcomes[threading.current_thread().name] = "left"
        except services.SharingError as exc:
            outcomes[threading.current_thread().name] = str(exc)
        finally:
            connection.close()

    first = threading.Thread(target=leave, args=(cm,), name="first")
    second = threading.Thread(target=leave, args=(cm_colleague,), name="second")
    first.start()
    assert first_has_checked.wait(timeout=30)
    second.start()
    # Let the second leaver run until it either finishes (nothing stopped it) or waits on the
    # first one's lock.
    for _ in range(600):
        second.join(timeout=0.05)
        if not second.is_alive() or _someone_waits_for_a_lock():
            break
    release_first.set()
    first.join(timeout=30)
    second.join(timeout=30)

    assert outcomes["first"] == "left"
    assert LAST_MEMBER in outcomes["second"]
    assert list(CareTeamMembership.objects.filter(patient=patient, left_at=None).values_list("user_id")) == [
        (cm_colleague.pk,)
    ]
