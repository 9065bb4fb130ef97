"""Upgrading a database where a patient already has two consents in force (possible before the
one-consent rule): the newest stays in force, the older is closed as of the newest's recording,
and nobody's access changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from renkei.core import permissions
from renkei.sharing.models import Consent, TeamRole, covers
from tests.sharing.conftest import add_member

BEFORE = [("sharing", "0001_initial")]


def _migrate(targets=None):
    """To ``targets``, or (None) to the latest migrations, where the rest of the suite expects the
    schema to be."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_upgrade_keeps_the_newest_of_two_consents_in_force_and_closes_the_older(
    region_data, cm, carol, patient
):
    # The membership is made with today's model (it records the organisation, a later column); the
    # column goes with the downgrade and is filled again on the way up.
    add_member(patient, cm, carol, TeamRole.VISITING_NURSE)
    _migrate(BEFORE)
    try:
        whole_team = Consent.objects.create(
            patient=patient,
            recorded_by=cm,
            given_by="架空 一郎",
            given_on=date(2026, 11, 1),
            method="written",
            recorded_at=datetime(2026, 11, 1, 1, 0, tzinfo=UTC),
        )
        narrower = Consent.objects.create(
            patient=patient,
            recorded_by=cm,
            given_by="架空 一郎",
            given_on=date(2026, 11, 10),
            method="written",
            scope_roles=["care_manager"],
            recorded_at=datetime(2026, 11, 10, 2, 30, tzinfo=UTC),
        )
        # The newest already decided (the consent half of the rule: the schema is the old one).
        assert not covers(permissions.consent_scopes([patient.pk])[patient.pk], TeamRole.VISITING_NURSE)
    finally:
        _migrate()

    whole_team.refresh_from_db()
    narrower.refresh_from_db()
    assert whole_team.withdrawn_at == datetime(2026, 11, 10, 2, 30, tzinfo=UTC)
    assert whole_team.withdrawal_note == "新しい同意の記録により終了（同意を1件にする移行で整理）"
    assert narrower.withdrawn_at is None
    assert not permissions.can_view_patient(carol, patient)
