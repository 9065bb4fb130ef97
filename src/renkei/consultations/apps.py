from __future__ import annotations

from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "renkei.consultations"
    label = "consultations"
    verbose_name = "相談支援"
