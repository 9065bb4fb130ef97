"""The survey (資料６－２): a round per region and as-of date, one entry per municipality and item."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from renkei.core.fiscal import era_year, fiscal_year_of
from renkei.core.models import Municipality, Region
from renkei.reports.items import Item, Stage

ERA_INITIALS = {"令和": "Ｒ", "平成": "Ｈ"}


def as_of_label(day: date) -> str:
    """「Ｒ3.12.末日時点」 for the last day of a month, 「Ｒ3.12.15時点」 otherwise, as the survey writes it."""
    era = era_year(day.year)
    name = era[:2]
    number = era[2:].replace("元", "1")
    last_of_month = (day + timedelta(days=1)).day == 1
    return f"{ERA_INITIALS[name]}{number}.{day.month}.{'末日' if last_of_month else day.day}時点"


class ReportRound(models.Model):
    """One survey of a region: every municipality reports every item as of ``as_of``."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="report_rounds", verbose_name="圏域"
    )
    as_of = models.DateField("時点")
    source = models.CharField("出典", max_length=300, blank=True)
    # What an import could not place in any municipality's row, kept for the reviewer.
    unclassified = models.TextField("未分類", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "取組状況調査"
        verbose_name_plural = "取組状況調査"
        ordering = ["region", "-as_of"]
        constraints = [models.UniqueConstraint(fields=["region", "as_of"], name="report_round_unique_as_of")]

    def __str__(self) -> str:
        return f"{self.region.short_name} {self.as_of_label}"

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.as_of)

    @property
    def as_of_label(self) -> str:
        return as_of_label(self.as_of)


class EntryStatus(models.TextChoices):
    DRAFT = "draft", "下書き"
    SUBMITTED = "submitted", "提出"
    CONFIRMED = "confirmed", "確認済み"


class ActivityEntry(models.Model):
    """One municipality's answer for one item: the survey's three columns."""

    round = models.ForeignKey(
        ReportRound, on_delete=models.CASCADE, related_name="entries", verbose_name="調査"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name="市町村"
    )
    item = models.CharField("項目", max_length=4, choices=Item.choices)
    activities = models.TextField("具体的内容", blank=True)
    issues = models.TextField("課題", blank=True)
    requests = models.TextField("医師会・医療機関に協力を依頼している内容", blank=True)
    # Text of this row an import could not assign to one column, for the reviewer to place.
    unclassified = models.TextField("未分類", blank=True)
    stage = models.CharField("手引きVer.3の段階", max_length=10, choices=Stage.choices, blank=True)
    scenes = models.JSONField("四つの場面", default=list, blank=True)
    status = models.CharField("状況", max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    review_comment = models.TextField("確認者のコメント", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "取組状況"
        verbose_name_plural = "取組状況"
        ordering = ["round", "item", "municipality__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "municipality", "item"], name="activity_entry_unique_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.get_item_display()}"


class ReportedFigure(models.Model):
    """A figure a municipality typed into its entry (「一般住民17件、支援機関12件」), kept as reported."""

    class Key(models.TextChoices):
        CONSULTATIONS_GENERAL = "consultations_general", "相談件数（一般住民）"
        CONSULTATIONS_AGENCIES = "consultations_agencies", "相談件数（支援機関）"
        CONSULTATIONS_TOTAL = "consultations_total", "相談件数（計）"

    round = models.ForeignKey(
        ReportRound, on_delete=models.CASCADE, related_name="figures", verbose_name="調査"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name="市町村"
    )
    key = models.CharField("指標", max_length=40, choices=Key.choices)
    value = models.PositiveIntegerField("値")
    quoted = models.CharField("記載", max_length=300, blank=True)

    class Meta:
        verbose_name = "報告された数値"
        verbose_name_plural = "報告された数値"
        ordering = ["round", "municipality__code", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "municipality", "key"], name="reported_figure_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.get_key_display()} {self.value}"
