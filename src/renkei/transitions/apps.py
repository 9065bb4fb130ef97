from __future__ import annotations

from django.apps import AppConfig


class TransitionsConfig(AppConfig):
    name = "renkei.transitions"
    label = "transitions"
    verbose_name = "入退院調整"

    def ready(self) -> None:
        from renkei.core import navigation, permissions
        from renkei.sharing import sections
        from renkei.transitions.views import patient_section

        navigation.register(
            navigation.NavItem(
                "入退院調整（期限）", "transitions:dashboard", permissions.can_have_patients, order=34
            )
        )
        navigation.register(
            navigation.NavItem(
                "入退院調整の指標",
                "transitions:indicators",
                permissions.can_view_transition_indicators,
                order=35,
            )
        )
        sections.register(
            sections.Section("transitions", "transitions/_patient_section.html", patient_section, order=10)
        )
