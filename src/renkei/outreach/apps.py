from __future__ import annotations

from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "renkei.outreach"
    label = "outreach"
    verbose_name = "普及啓発"

    def ready(self) -> None:
        from renkei.core import navigation, permissions

        navigation.register(
            navigation.NavItem(
                "資源ガイド印刷", "outreach_staff:guide", permissions.can_print_resource_guides, order=88
            )
        )
        navigation.register(
            navigation.NavItem(
                "ポータルの編集", "outreach_staff:pages", permissions.can_use_portal_staff_pages, order=89
            )
        )
        navigation.register(
            navigation.NavItem(
                "認知症ケアパス",
                "outreach_staff:care_path",
                permissions.can_use_portal_staff_pages,
                order=89,
            )
        )
        navigation.register(
            navigation.NavItem(
                "出前講座の申込み",
                "outreach_staff:requests",
                permissions.can_use_portal_staff_pages,
                order=90,
            )
        )
        # Public: everyone, logged in or not, finds the residents' portal in the menu.
        navigation.register(
            navigation.NavItem("住民向けポータル", "portal:region", lambda user: True, order=95)
        )
