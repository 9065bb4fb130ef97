"""Demo data of the survey: the 八戸圏域 R3.12 table imported from the shipped seed, and this 年度's
survey opened from it (drafts), so the demo shows the reported table next to one kept in Renkei."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from renkei.core.fiscal import fiscal_year_of
from renkei.core.models import Region
from renkei.reports.models import ReportRound
from renkei.reports.seed_data import HACHINOHE_R3_12_AS_OF, HACHINOHE_R3_12_SOURCE, shipped_text
from renkei.reports.services.entries import open_round
from renkei.reports.services.importing import import_seed


@transaction.atomic
def load(stdout) -> None:
    region = Region.objects.filter(slug="hachinohe").first()
    if region is None:
        return
    result = import_seed(None, region, HACHINOHE_R3_12_AS_OF, shipped_text(), source=HACHINOHE_R3_12_SOURCE)
    stdout.write(f"取組状況調査 {result.report_round.as_of_label}（資料６－２から取込）: {result.summary}\n")
    current = date(fiscal_year_of(timezone.localdate()), 12, 31)
    if not ReportRound.objects.filter(region=region, as_of=current).exists():
        report_round = open_round(None, region, current)
        stdout.write(f"取組状況調査 {report_round.as_of_label}を開始しました（前回の記載から下書き）。\n")
