from __future__ import annotations

from django.db import models


class PeriodicRun(models.Model):
    """The last run of a periodic command started through ``renkei periodic`` (one row per command,
    shared by every node), for ``renkei doctor``."""

    command = models.CharField("コマンド", max_length=60, unique=True)
    started_at = models.DateTimeField("開始")
    finished_at = models.DateTimeField("終了", null=True, blank=True)
    succeeded = models.BooleanField("成功", default=False)
    last_success_at = models.DateTimeField("最後に成功した日時", null=True, blank=True)
    message = models.TextField("最後の出力", blank=True)

    class Meta:
        verbose_name = "定期実行"
        verbose_name_plural = "定期実行"

    def __str__(self) -> str:
        return self.command
