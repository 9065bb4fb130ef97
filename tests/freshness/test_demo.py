from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from renkei.freshness.models import ChangeRequest, FacilityContact


def test_the_demo_gives_the_freshness_dashboard_contacts_and_pending_changes_once(db):
    call_command("load_demo", stdout=StringIO())
    contacts = FacilityContact.objects.count()
    assert 0.5 * 480 < contacts < 0.7 * 480
    assert FacilityContact.objects.filter(bounced_at__isnull=False).exists()
    assert not FacilityContact.objects.exclude(email__endswith="@example.invalid").exists()
    assert ChangeRequest.objects.filter(status="pending").count() == 3

    call_command("load_demo", stdout=StringIO())
    assert FacilityContact.objects.count() == contacts
    assert ChangeRequest.objects.count() == 3
