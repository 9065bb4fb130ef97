from __future__ import annotations

from django.apps import AppConfig


class FreshnessConfig(AppConfig):
    name = "renkei.freshness"
    label = "freshness"
    verbose_name = "情報の鮮度（掲載情報の定期的な更新）"

    def ready(self) -> None:
        from renkei.core import navigation, permissions, public_cache, start
        from renkei.directory import annotators
        from renkei.freshness.services.policy import annotate_freshness
        from renkei.freshness.start import panel

        # The directory's search results and detail pages show each entry's freshness badge.
        annotators.register(annotate_freshness)
        # The region's policy decides the freshness badges the cached directory pages show.
        public_cache.follow(self.get_model("FreshnessPolicy"))
        navigation.register(
            navigation.NavItem(
                "情報の鮮度",
                "freshness_staff:dashboard",
                permissions.can_view_freshness_dashboard,
                order=86,
            )
        )
        navigation.register(
            navigation.NavItem(
                "変更申請",
                "freshness_staff:reviews",
                permissions.can_view_freshness_dashboard,
                order=87,
            )
        )
        start.register(start.Panel("freshness", "freshness/_start_panel.html", panel, order=30))
