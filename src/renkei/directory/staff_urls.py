from __future__ import annotations

from django.urls import path

from renkei.directory import freshness_views, import_views

app_name = "directory_staff"
urlpatterns = [
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/<str:token>/rejected.csv", import_views.import_rejected, name="import_rejected"),
    path("import/template.<str:kind>", import_views.import_template, name="import_template"),
    path("freshness/", freshness_views.dashboard, name="freshness"),
    path("freshness/policy/", freshness_views.policy, name="freshness_policy"),
    path("freshness/overdue.xlsx", freshness_views.overdue_export, name="freshness_export"),
    path("reviews/", freshness_views.review_queue, name="reviews"),
    path("reviews/<int:pk>/", freshness_views.review_detail, name="review"),
    path("facilities/<int:pk>/contacts/", freshness_views.contacts, name="contacts"),
    path(
        "facilities/<int:pk>/contacts/<int:contact_pk>/",
        freshness_views.contact_action,
        name="contact_action",
    ),
    path("facilities/<int:pk>/links/<int:link_pk>/revoke/", freshness_views.revoke, name="revoke_link"),
    path("facilities/<int:pk>/resend/", freshness_views.resend, name="resend"),
    path("facilities/<int:pk>/history/", freshness_views.history, name="history"),
    path("facilities/<int:pk>/history/<int:history_id>/restore/", freshness_views.restore, name="restore"),
]
