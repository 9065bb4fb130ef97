"""Helpers of the freshness tests: a facility with a contact, and a mail backend that fails."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.base import BaseEmailBackend

from renkei.freshness.models import FacilityContact
from tests.directory.search_fixtures import make_facility


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("connection refused")


def facility_with_contact(
    name="みなと訪問看護ステーション", code="022039", email="office@example.invalid", **fields
):
    facility = make_facility(name, "", "visiting_nurse_station", code, **fields)
    contact = FacilityContact.objects.create(facility=facility, email=email)
    return facility, contact
