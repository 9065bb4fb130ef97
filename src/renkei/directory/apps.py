from __future__ import annotations

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "renkei.directory"
    label = "directory"
    verbose_name = "医療・介護資源（施設・地域資源）"

    def ready(self) -> None:
        from renkei.core import navigation, permissions

        navigation.register(
            navigation.NavItem("医療・介護資源を探す", "directory:search", lambda user: True, order=10)
        )
        navigation.register(
            navigation.NavItem(
                "施設データの取込",
                "directory_staff:import_upload",
                permissions.can_import_facilities,
                order=85,
            )
        )
        navigation.register(
            navigation.NavItem(
                "情報の鮮度",
                "directory_staff:freshness",
                permissions.can_view_freshness_dashboard,
                order=86,
            )
        )
