from __future__ import annotations

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "renkei.directory"
    label = "directory"
    verbose_name = "医療・介護資源（施設・地域資源）"

    def ready(self) -> None:
        from renkei.core import navigation

        navigation.register(
            navigation.NavItem("医療・介護資源を探す", "directory:search", lambda user: True, order=10)
        )
