from __future__ import annotations

from django.urls import include, path

from renkei.core.two_factor import second_factor_urls
from renkei.transitions import indicator_views, views

app_name = "transitions"
urlpatterns = [
    *second_factor_urls(
        [
            # Every page shows or changes personal data (the rule page sits beside them for simplicity).
            path("", views.dashboard, name="dashboard"),
            path("patients/<int:patient_pk>/episodes/new/", views.new_episode, name="new_episode"),
            path("episodes/<int:pk>/", views.episode_page, name="episode"),
            path("episodes/<int:pk>/edit/", views.edit_episode, name="edit_episode"),
            path("episodes/<int:pk>/progress/<str:kind>/", views.record_progress, name="record_progress"),
            path("episodes/<int:pk>/documents/new/<str:kind>/", views.new_document, name="new_document"),
            path("documents/<int:pk>/", views.document_page, name="document"),
            path("documents/<int:pk>/send/", views.send_document, name="send_document"),
            path("documents/<int:pk>/document.pdf", views.document_pdf, name="document_pdf"),
            path("documents/<int:pk>/fhir.json", views.document_fhir, name="document_fhir"),
            path("documents/<int:pk>/link/", views.issue_link, name="issue_link"),
            path("links/<int:pk>/revoke/", views.revoke_link, name="revoke_link"),
            path("patients/<int:patient_pk>/import-fhir/", views.import_fhir, name="import_fhir"),
            path("rules/<slug:slug>/", views.rule, name="rule"),
        ]
    ),
    # The hospital not on Renkei opens this link without an account: outside the second factor.
    path("links/<str:token>/", views.download_link, name="download_link"),
    # Counts only, no patient: the password is enough.
    path("indicators/", indicator_views.indicator_page, name="indicators"),
    path("indicators.xlsx", indicator_views.indicator_xlsx, name="indicators_xlsx"),
    path("usage/", indicator_views.usage_page, name="usage"),
    path("usage.xlsx", indicator_views.usage_xlsx, name="usage_xlsx"),
    path("", include("renkei.transitions.sheets.urls")),
]
