from __future__ import annotations

from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "renkei.sharing"
    label = "sharing"
    verbose_name = "ケアチーム情報共有"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from renkei.core import navigation, permissions, start
        from renkei.core.models import User
        from renkei.sharing.services.team import end_memberships_on_user_save
        from renkei.sharing.start import panel

        post_save.connect(
            end_memberships_on_user_save, sender=User, dispatch_uid="renkei-end-memberships-after-a-move"
        )

        start.register(
            start.Panel(
                "sharing", "sharing/_start_panel.html", panel, order=10, stylesheet="sharing/sharing.css"
            )
        )
        navigation.register(
            navigation.NavItem(
                "利用者（ケアチーム）", "sharing:home", permissions.can_have_patients, order=30
            )
        )
        navigation.register(
            navigation.NavItem(
                "アクセス記録（監査）",
                "sharing:audit",
                lambda user: permissions.can_export_access_log(user),
                order=85,
            )
        )
