"""The sheets' pages, included by :mod:`renkei.transitions.urls` (same namespace). Editing a sheet's
fields holds no personal data (a password is enough); filling and printing one does."""

from __future__ import annotations

from django.urls import path

from renkei.core.two_factor import second_factor_urls
from renkei.transitions.sheets import views

urlpatterns = [
    path("sheets/", views.sheet_list, name="sheets"),
    path("sheets/<int:pk>/", views.definition_page, name="sheet_definition"),
    path("sheets/<int:pk>/versions/new/", views.new_version, name="sheet_new_version"),
    path("sheets/versions/<int:pk>/", views.version_page, name="sheet_version"),
    path("sheets/versions/<int:pk>/publish/", views.publish_version, name="sheet_publish"),
    *second_factor_urls(
        [
            path("patients/<int:patient_pk>/sheets/<int:version_pk>/new/", views.fill, name="sheet_fill"),
            path(
                "patients/<int:patient_pk>/sheets/posts/<int:post_id>/sheet.pdf",
                views.filled_pdf,
                name="sheet_pdf",
            ),
        ]
    ),
]

# Mounted under ``patients/`` by the root urlconf: the retired fixed 多職種連携シート form's address.
old_addresses = second_factor_urls(
    [path("<int:pk>/sheets/new/", views.collaboration_sheet, name="old_collaboration_sheet")]
)
