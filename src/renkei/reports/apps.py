from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "renkei.reports"
    label = "reports"
    verbose_name = "取組状況調査"

    def ready(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        from renkei.core import navigation, permissions, start
        from renkei.core.models import User
        from renkei.reports.indicator_sources import register_builtin
        from renkei.reports.start import panel

        def may_use(user: object) -> bool:
            return isinstance(user, User | AnonymousUser) and permissions.can_use_reports(user)

        register_builtin()
        start.register(start.Panel("reports", "reports/_start_panel.html", panel, order=60))
        navigation.register(navigation.NavItem("取組状況調査", "reports:list", may_use, order=60))
