"""``renkei load-demo``: load the 八戸圏域 demo data of every app. Safe to run again."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "八戸圏域のデモデータ（組織・デモ管理者・各機能のサンプル）を登録します。再実行しても重複しません。"
    )

    def handle(self, *args, **options) -> None:
        # Each app that has demo data keeps it in its own ``demo`` module, loaded in INSTALLED_APPS order.
        for config in apps.get_app_configs():
            if config.name.startswith("renkei.") and find_spec(f"{config.name}.demo"):
                import_module(f"{config.name}.demo").load(self.stdout)
