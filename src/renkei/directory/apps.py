from __future__ import annotations

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "renkei.directory"
    label = "directory"
    verbose_name = "医療・介護資源（施設・地域資源）"
