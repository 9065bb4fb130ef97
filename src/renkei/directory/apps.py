from __future__ import annotations

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "renkei.directory"
    label = "directory"
    verbose_name = "医療・介護資源（施設・地域資源）"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from renkei.core import navigation, permissions, public_cache
        from renkei.directory.signals import facilities_imported

        post_migrate.connect(_ensure_search_index, sender=self)
        # The anonymous directory pages are cached until the next write (an import writes in bulk).
        public_cache.follow(*self.get_models())
        facilities_imported.connect(_imported, dispatch_uid="public_cache_directory_imported")

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


def _imported(sender, **kwargs) -> None:
    from renkei.core import public_cache

    public_cache.bump()


def _ensure_search_index(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from renkei.directory.search_index import ensure_sqlite_search_index

    ensure_sqlite_search_index(connections[using])
