from __future__ import annotations

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "renkei.directory"
    label = "directory"
    verbose_name = "医療・介護資源（施設・地域資源）"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from renkei.core import navigation, permissions

        post_migrate.connect(_ensure_search_index, sender=self)

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


def _ensure_search_index(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from renkei.directory.search_index import ensure_sqlite_search_index

    ensure_sqlite_search_index(connections[using])
