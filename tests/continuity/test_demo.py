"""The demo data loads twice without duplicates and resolves a night contact for the demo patient."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from renkei.continuity.models import AcpRecord, ContactStep, OnCallRota, RotaSlot


@pytest.mark.django_db
def test_demo_loads_twice_and_answers_tonight():
    call_command("load_demo", stdout=StringIO())
    counts = (OnCallRota.objects.count(), RotaSlot.objects.count(), ContactStep.objects.count(),
              AcpRecord.objects.count())  # fmt: skip
    call_command("load_demo", stdout=StringIO())
    assert counts == (OnCallRota.objects.count(), RotaSlot.objects.count(), ContactStep.objects.count(),
                      AcpRecord.objects.count())  # fmt: skip
    assert counts[0] == 2 and counts[3] == 1
    out = StringIO()
    # A Tuesday night of the demo's first month: the nurse station's 24-hour line answers first.
    day = date.today().replace(day=1)
    while day.weekday() != 1:
        day = day.replace(day=day.day + 1)
    call_command(
        "continuity", "tonight", "--at", f"{day.isoformat()}T22:00", "--user", "demo-caremanager", stdout=out
    )
    (row,) = json.loads(out.getvalue())["patients"]
    assert row["first_contact"]["label"] == "デモ訪問看護ステーション（架空）の当番"
    assert row["first_contact"]["people"] == ["訪問 看護美（デモ）"]


def test_the_demo_fire_account_reads_the_consenting_sannohe_resident_only(db):
    from renkei.core import permissions
    from renkei.core.models import User
    from renkei.sharing.models import Patient

    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    fire = User.objects.get(username="demo-fire")
    assert fire.organization.name == "八戸地域広域市町村圏事務組合消防本部"
    assert [p.full_name for p in permissions.kits_visible_to_agency(fire)] == ["架空 松子（デモ）"]
    assert not permissions.can_read_kit_as_agency(fire, Patient.objects.get(full_name="架空 梅子（デモ）"))
