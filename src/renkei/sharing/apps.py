from __future__ import annotations

from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "renkei.sharing"
    label = "sharing"
    verbose_name = "ケアチーム情報共有"
