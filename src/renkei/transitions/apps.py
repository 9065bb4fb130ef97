from __future__ import annotations

from django.apps import AppConfig


class TransitionsConfig(AppConfig):
    name = "renkei.transitions"
    label = "transitions"
    verbose_name = "入退院調整"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from renkei.core import navigation, permissions
        from renkei.core.models import Region
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
        from renkei.sharing import post_parts
        from renkei.transitions.services import sheets as sheet_services
        from renkei.transitions.sheets import views as sheet_views
        from renkei.transitions.sheets.seed import seed_new_region

        post_save.connect(
            seed_new_region, sender=Region, dispatch_uid="renkei-collaboration-sheet-for-new-region"
        )

        navigation.register(
            navigation.NavItem(
                "連携シートの様式", "transitions:sheets", permissions.can_manage_sheets, order=35
            )
        )
        sections.register(
            sections.Section(
                "transitions_sheets",
                "transitions/sheets/_patient_section.html",
                sheet_views.patient_section,
                order=11,
            )
        )
        post_parts.register(
            post_parts.PostPart(
                "filled_sheet",
                "transitions/sheets/_post_part.html",
                select=("filled_sheet__version__definition",),
                describe=sheet_services.describe_filled_sheet,
            )
        )
