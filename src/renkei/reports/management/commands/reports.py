"""``renkei reports``: import a survey table, export the regional table, print the figures."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renkei.core.models import Region
from renkei.core.services import RuleError
from renkei.reports.services.importing import import_seed
from renkei.reports.services.rules import ReportError


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日付「{text}」は YYYY-MM-DD で指定してください（例: 2021-12-31）。") from None


class Command(BaseCommand):
    help = "取組状況調査（資料６－２）の取込・出力・指標の表示を行います。"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="操作")
        seed = actions.add_parser("import-seed", help="調査表（PDFのテキスト層）を取り込みます。")
        seed.add_argument("file", help="テキストファイル（UTF-8）")
        seed.add_argument("--region", required=True, help="圏域の識別名（例: hachinohe）")
        seed.add_argument("--as-of", required=True, help="調査の時点（YYYY-MM-DD、例: 2021-12-31）")
        seed.add_argument("--source", default="", help="出典（省略時はファイル名）")

        export = actions.add_parser("export", help="圏域の調査表を Excel または PDF で書き出します。")
        export.add_argument("output", help="出力ファイル")
        export.add_argument("--region", required=True, help="圏域の識別名")
        export.add_argument("--as-of", required=True, help="調査の時点（YYYY-MM-DD）")
        export.add_argument("--format", required=True, choices=["xlsx", "pdf"], help="xlsx または pdf")

        figures = actions.add_parser("indicators", help="市町村ごとの指標を JSON で表示します。")
        figures.add_argument("--region", required=True, help="圏域の識別名")
        when = figures.add_mutually_exclusive_group(required=True)
        when.add_argument("--as-of", help="取り込んだ調査の時点（報告された数値）")
        when.add_argument("--fiscal-year", type=int, help="年度（データから集計、例: 2024）")
        figures.add_argument("--json", action="store_true", required=True, help="JSON で出力する")

    def handle(self, *args, **options) -> None:
        getattr(self, "_" + options["action"].replace("-", "_"))(options)

    def _region(self, slug: str) -> Region:
        region = Region.objects.filter(slug=slug).first()
        if region is None:
            raise CommandError(f"圏域「{slug}」は登録されていません。")
        return region

    def _round(self, options):
        from renkei.reports.models import ReportRound

        region = self._region(options["region"])
        as_of = _day(options["as_of"])
        report_round = ReportRound.objects.filter(region=region, as_of=as_of).first()
        if report_round is None:
            raise CommandError(f"{region.name}の{as_of:%Y-%m-%d}時点の調査はありません。")
        return report_round

    def _import_seed(self, options) -> None:
        region = self._region(options["region"])
        as_of = _day(options["as_of"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"ファイル「{path}」が見つかりません。")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise CommandError("ファイルは UTF-8 のテキストにしてください。") from None
        try:
            result = import_seed(None, region, as_of, text, source=options["source"] or path.name)
        except ReportError as exc:
            raise CommandError(exc.message) from None
        for label in result.kept:
            self.stderr.write(f"{label}: 取込後に編集されているため上書きしませんでした。")
        self.stdout.write(f"{region.name} {result.report_round.as_of_label}: {result.summary}")

    def _export(self, options) -> None:
        from renkei.reports.services.export import export_pdf, export_workbook

        report_round = self._round(options)
        writer = export_workbook if options["format"] == "xlsx" else export_pdf
        output = Path(options["output"])
        output.write_bytes(writer(None, report_round))
        self.stdout.write(f"{report_round.region.name} {report_round.as_of_label} → {output}")

    def _indicators(self, options) -> None:
        from renkei.reports.services.indicators import indicators_for

        region = self._region(options["region"])
        as_of = _day(options["as_of"]) if options["as_of"] else None
        try:
            result = indicators_for(None, region, as_of=as_of, fiscal_year=options["fiscal_year"])
        except RuleError as exc:  # the statistics refuse a 年度 out of range
            raise CommandError(exc.message) from None
        self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
