"""Upgrading a database laid out by the release where freshness lived in ``directory``: the
migrations that give freshness its own app move no data, and every row is found afterwards."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from renkei.directory.models import Facility
from renkei.freshness.models import (
    ChangeRequest,
    FacilityContact,
    FreshnessPolicy,
    ReminderDelivery,
    UpdateLink,
)

BEFORE = [("directory", "0006_reminder_delivery_failed_at"), ("freshness", None)]
WHEN = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_an_old_database_keeps_its_contacts_links_reviews_reminders_and_history():
    executor = _executor()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[:1]).apps
    region = old.get_model("core", "Region").objects.create(
        slug="old", name="旧圏域", short_name="旧", prefecture="北海道"
    )
    municipality = old.get_model("core", "Municipality").objects.create(
        code="012025", name="函館市", prefecture="北海道", region=region
    )
    OldFacility = old.get_model("directory", "Facility")
    facility = OldFacility.objects.create(
        name="しんごう訪問看護ステーション", category="visiting_nurse_station", municipality=municipality
    )
    OldHistory = old.get_model("directory", "HistoricalFacility")
    recorded = {field.attname for field in OldHistory._meta.concrete_fields}
    OldHistory.objects.create(
        id=facility.pk,
        name=facility.name,
        category=facility.category,
        municipality_id=municipality.pk,
        history_date=WHEN,
        history_type="+",
        **{
            field.attname: getattr(facility, field.attname)
            for field in OldFacility._meta.concrete_fields
            if field.attname in recorded
            and field.attname not in {"id", "name", "category", "municipality_id"}
        },
    )
    policy = old.get_model("directory", "FreshnessPolicy").objects.create(region=region, fresh_days=90)
    contact = old.get_model("directory", "FacilityContact").objects.create(
        facility=facility, email="station@example.jp"
    )
    link = old.get_model("directory", "UpdateLink").objects.create(
        facility=facility, email="station@example.jp", issued_at=WHEN, expires_at=WHEN
    )
    change = old.get_model("directory", "ChangeRequest").objects.create(
        facility=facility, proposed={"name": "新しい名称"}, previous={"name": facility.name}
    )
    reminder = old.get_model("directory", "ReminderDelivery").objects.create(
        contact=contact, facility=facility, kind="entry", due_date=date(2026, 12, 1), offset_days=-30
    )

    executor = _executor()
    executor.migrate(executor.loader.graph.leaf_nodes())

    upgraded = Facility.objects.get(pk=facility.pk)
    assert upgraded.history.count() == 1
    assert FreshnessPolicy.objects.get(pk=policy.pk).fresh_days == 90
    assert FacilityContact.objects.get(pk=contact.pk).facility == upgraded
    assert UpdateLink.objects.get(pk=link.pk).email == "station@example.jp"
    assert ChangeRequest.objects.get(pk=change.pk).proposed == {"name": "新しい名称"}
    assert ReminderDelivery.objects.get(pk=reminder.pk).contact.email == "station@example.jp"
    assert list(upgraded.contacts.all()) == [FacilityContact.objects.get(pk=contact.pk)]
