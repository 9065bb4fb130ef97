from __future__ import annotations

from django.urls import path

from renkei.core import account_pages as pages
from renkei.core import account_views as views
from renkei.core.two_factor import second_factor_urls

app_name = "accounts"
urlpatterns = [
    # For people who are not logged in.
    path("password-reset/", pages.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", pages.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        pages.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", pages.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # A password is enough to change it.
    path("password/", pages.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", pages.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("2fa/", views.two_factor_overview, name="two_factor"),
    path("2fa/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("2fa/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("2fa/backup-codes/", views.backup_codes_regenerate, name="backup_codes_regenerate"),
    path("2fa/reset/", views.two_factor_reset, name="two_factor_reset"),
    # Everything below needs the second factor.
    *second_factor_urls(
        [
            path("", pages.account, name="account"),
            path("api-tokens/", views.api_tokens, name="api_tokens"),
            path("api-tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
        ]
    ),
]
