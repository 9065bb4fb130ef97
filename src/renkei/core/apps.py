from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "renkei.core"
    label = "core"
    verbose_name = "基本情報（圏域・市町村・組織・利用者アカウント）"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from renkei.core import navigation, permissions, start, tokens
        from renkei.core.models import User
        from renkei.core.views import region_panel

        post_save.connect(
            tokens.revoke_tokens_on_password_change,
            sender=User,
            dispatch_uid="renkei-revoke-tokens-on-password",
        )
        for device_model in (TOTPDevice, StaticDevice):
            post_delete.connect(
                tokens.revoke_tokens_on_device_removal,
                sender=device_model,
                dispatch_uid=f"renkei-revoke-tokens-on-{device_model.__name__}-removal",
            )

        navigation.register(navigation.NavItem("トップ", "home", lambda user: True, order=0))
        start.register(start.Panel("region", "core/_region_panel.html", region_panel, order=90))
        navigation.register(
            navigation.NavItem("職員ページ", "staff:home", permissions.can_view_staff_area, order=80)
        )
        navigation.register(
            navigation.NavItem(
                "2段階認証",
                "accounts:two_factor",
                permissions.can_manage_own_two_factor,
                order=85,
                emergency_services=True,
            )
        )
        navigation.register(
            navigation.NavItem(
                "システム管理",
                "admin:index",
                lambda user: bool(user.is_active and user.is_superuser),
                order=90,
            )
        )
