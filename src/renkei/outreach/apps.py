from __future__ import annotations

from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "renkei.outreach"
    label = "outreach"
    verbose_name = "普及啓発"
