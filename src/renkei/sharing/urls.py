from __future__ import annotations

from django.urls import path

from renkei.core.two_factor import second_factor_urls
from renkei.sharing import views

app_name = "sharing"
urlpatterns = second_factor_urls(
    [
        # Every page shows or changes personal data: all behind the second factor.
        path("", views.home, name="home"),
        path("new/", views.register, name="register"),
        path("emergency/", views.emergency, name="emergency"),
        path("physicians.json", views.physician_search, name="physician_search"),
        path("notifications/", views.notifications, name="notifications"),
        path("audit/", views.audit, name="audit"),
        path("<int:pk>/", views.patient_page, name="patient"),
        path("<int:pk>/edit/", views.edit_patient, name="edit"),
        path("<int:pk>/consent/", views.consent, name="consent"),
        path("<int:pk>/consent/withdraw/", views.withdraw_consent, name="withdraw_consent"),
        path("<int:pk>/consent/<int:consent_id>/scan/", views.consent_scan, name="consent_scan"),
        path("<int:pk>/team/", views.team, name="team"),
        path("<int:pk>/team/leave/", views.leave, name="leave"),
        path("<int:pk>/team/<int:membership_id>/remove/", views.remove_member, name="remove_member"),
        path("<int:pk>/posts/", views.create_post, name="create_post"),
        path("<int:pk>/posts/<int:post_id>/reply/", views.reply, name="reply"),
        path("<int:pk>/posts/<int:post_id>/sheet.pdf", views.sheet_pdf, name="sheet_pdf"),
        path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
        path(
            "<int:pk>/attachments/<int:attachment_id>/thumbnail/",
            views.attachment_thumbnail,
            name="attachment_thumbnail",
        ),
        path("<int:pk>/access-log/", views.access_log, name="access_log"),
        path("<int:pk>/emergency/", views.break_glass, name="break_glass"),
    ]
)
