from __future__ import annotations

from django.apps import AppConfig


class ContinuityConfig(AppConfig):
    name = "renkei.continuity"
    label = "continuity"
    verbose_name = "夜間・休日・緊急時の連絡体制"

    def ready(self) -> None:
        from renkei.continuity.panels import patient_panel
        from renkei.continuity.start import panel
        from renkei.core import navigation, permissions, start
        from renkei.sharing import sections

        start.register(
            start.Panel(
                "continuity",
                "continuity/_start_panel.html",
                panel,
                order=15,
                stylesheet="continuity/continuity.css",
            )
        )
        sections.register(
            sections.Section(
                "continuity", "continuity/_path_panel.html", patient_panel, order=10, place=sections.TOP
            )
        )
        navigation.register(
            navigation.NavItem(
                "当番表（夜間・休日）", "continuity:rotas", permissions.can_have_patients, order=35
            )
        )
        navigation.register(
            navigation.NavItem(
                "24時間対応の資源（市町村別）", "continuity:cover", permissions.can_view_cover_table, order=75
            )
        )
        navigation.register(
            navigation.NavItem(
                "消防・警察への提供", "continuity:agencies", permissions.can_manage_agencies, order=76
            )
        )
        navigation.register(
            navigation.NavItem(
                "救急医療情報キットの閲覧",
                "continuity:agency_search",
                permissions.is_emergency_services,
                order=1,
                emergency_services=True,
            )
        )
        # The cover table's summary follows every write to the directory.
        from renkei.continuity import signals  # noqa: F401
