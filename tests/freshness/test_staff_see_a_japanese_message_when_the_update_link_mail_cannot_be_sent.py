"""When the mail server is down, 「リンクを送る」 and the dashboard's re-send show staff a Japanese
message instead of an error page, and no link that was never mailed stays usable."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.locmem import EmailBackend

from renkei.freshness.models import FacilityContact, UpdateLink
from tests.freshness.helpers import facility_with_contact


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"5.1.1 User unknown") for m in messages})


def test_sending_a_link_while_the_mail_server_is_down_shows_a_message_and_leaves_no_usable_link(
    client, bob, settings
):
    settings.EMAIL_BACKEND = "tests.freshness.helpers.FailingBackend"
    facility, contact = facility_with_contact(code="024422")
    client.force_login(bob)

    response = client.post(
        f"/staff/directory/facilities/{facility.pk}/contacts/{contact.pk}/", {"action": "send"}, follow=True
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "office@example.invalid にメールを送れませんでした" in page
    assert UpdateLink.objects.filter(facility=facility, revoked_at=None).count() == 0
    contact.refresh_from_db()
    assert contact.bounced_at is None  # a server that is down says nothing about the address


def test_the_dashboard_resend_reports_each_failed_address_and_leaves_no_usable_link(client, bob, settings):
    settings.EMAIL_BACKEND = "tests.freshness.helpers.FailingBackend"
    facility, _ = facility_with_contact(code="024422", email="a@example.invalid")
    FacilityContact.objects.create(facility=facility, email="b@example.invalid")
    client.force_login(bob)

    response = client.post(f"/staff/directory/facilities/{facility.pk}/resend/", follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "a@example.invalid にメールを送れませんでした" in page
    assert "b@example.invalid にメールを送れませんでした" in page
    assert UpdateLink.objects.filter(facility=facility, revoked_at=None).count() == 0


def test_an_address_the_server_refuses_for_good_is_marked_bounced(client, bob, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    facility, contact = facility_with_contact(code="024422")
    client.force_login(bob)

    response = client.post(
        f"/staff/directory/facilities/{facility.pk}/contacts/{contact.pk}/", {"action": "send"}, follow=True
    )

    assert "office@example.invalid はメールサーバーに受け取りを拒否されたため、不達として記録しました。" in (
        response.content.decode()
    )
    contact.refresh_from_db()
    assert contact.bounced_at is not None
    assert UpdateLink.objects.filter(facility=facility, revoked_at=None).count() == 0
