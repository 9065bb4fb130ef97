from __future__ import annotations

from django.urls import path

from renkei.core import account_views as views
from renkei.core.two_factor import second_factor_urls

app_name = "accounts"
urlpatterns = [
    path("2fa/", views.two_factor_overview, name="two_factor"),
    path("2fa/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("2fa/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("2fa/backup-codes/", views.backup_codes_regenerate, name="backup_codes_regenerate"),
    path("2fa/reset/", views.two_factor_reset, name="two_factor_reset"),
    # Everything below needs the second factor.
    *second_factor_urls(
        [
            path("api-tokens/", views.api_tokens, name="api_tokens"),
            path("api-tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
        ]
    ),
]
