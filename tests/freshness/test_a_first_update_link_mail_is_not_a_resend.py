"""The first update-link mail to an address is not titled 「（再送）」 and gives the entry's real due
date, not today; the second one is a resend. Its link follows ``SITE_URL``."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.test import override_settings
from django.utils import timezone

from renkei.freshness.models import FacilityContact
from tests.directory.search_fixtures import make_facility


@override_settings(SITE_URL="http://renkei.example.test:8123")
def test_first_link_then_resend(client, bob):
    verified = timezone.now() - timedelta(days=100)
    facility = make_facility("五戸E", "", "clinic", "024422", verified_at=verified)
    FacilityContact.objects.create(facility=facility, email="e@example.invalid")
    client.force_login(bob)
    due = timezone.localdate(verified) + timedelta(days=180)  # the default period
    today = timezone.localdate()

    client.post(f"/staff/directory/facilities/{facility.pk}/resend/")
    first = mail.outbox[0]
    assert "（再送）" not in first.subject
    assert f"{due.year}年{due.month}月{due.day}日" in first.body
    assert f"{today.year}年{today.month}月{today.day}日" not in first.body
    assert "http://renkei.example.test:8123/facilities/update/" in first.body

    client.post(f"/staff/directory/facilities/{facility.pk}/resend/")
    assert "（再送）" in mail.outbox[1].subject
