"""Staff's freshness pages (under ``/staff/directory/``): dashboard, policy, review, contacts, history."""

from __future__ import annotations

from django.urls import path

from renkei.freshness import views

app_name = "freshness_staff"
urlpatterns = [
    path("freshness/", views.dashboard, name="dashboard"),
    path("freshness/policy/", views.policy, name="policy"),
    path("freshness/overdue.xlsx", views.overdue_export, name="export"),
    path("reviews/", views.review_queue, name="reviews"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("facilities/<int:pk>/contacts/", views.contacts, name="contacts"),
    path("facilities/<int:pk>/contacts/<int:contact_pk>/", views.contact_action, name="contact_action"),
    path("facilities/<int:pk>/links/<int:link_pk>/revoke/", views.revoke, name="revoke_link"),
    path("facilities/<int:pk>/resend/", views.resend, name="resend"),
    path("facilities/<int:pk>/history/", views.history, name="history"),
    path("facilities/<int:pk>/history/<int:history_id>/restore/", views.restore, name="restore"),
]
