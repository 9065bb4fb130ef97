from __future__ import annotations

from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "renkei.consultations"
    label = "consultations"
    verbose_name = "相談支援"

    def ready(self) -> None:
        from renkei.core import navigation, permissions

        navigation.register(
            navigation.NavItem("相談記録", "consultations:list", permissions.can_use_consultations, order=40)
        )
