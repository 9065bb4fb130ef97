from __future__ import annotations

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "renkei.meetings"
    label = "meetings"
    verbose_name = "会議・研修と課題"

    def ready(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        from renkei.core import navigation, permissions, public_events, start
        from renkei.core.models import User
        from renkei.meetings.services.public import MeetingsCalendar
        from renkei.meetings.start import panel

        def may_use(user: object) -> bool:
            return isinstance(user, User | AnonymousUser) and permissions.can_use_meetings(user)

        start.register(start.Panel("meetings", "meetings/_start_panel.html", panel, order=30))
        navigation.register(navigation.NavItem("会議・研修", "meetings:list", may_use, order=50))
        public_events.register(self.name, MeetingsCalendar())
