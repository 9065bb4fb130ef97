from __future__ import annotations

from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "renkei.consultations"
    label = "consultations"
    verbose_name = "相談支援"

    def ready(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        from renkei.consultations.start import panel
        from renkei.core import navigation, permissions, start
        from renkei.core.models import User

        def may_use(user: object) -> bool:
            return isinstance(user, User | AnonymousUser) and permissions.can_use_consultations(user)

        start.register(start.Panel("consultations", "consultations/_start_panel.html", panel, order=20))
        navigation.register(
            navigation.NavItem(
                "相談記録",
                "consultations:list",
                may_use,
                order=40,
            )
        )
