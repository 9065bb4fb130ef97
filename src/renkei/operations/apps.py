from __future__ import annotations

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running Renkei in production: the server, health checks, doctor, backups, periodic runs."""

    name = "renkei.operations"
    label = "operations"
    verbose_name = "運用"
