"""``renkei consultations``: list the desks, write the 運営協議会 report, import an old tally sheet."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renkei.consultations import services
from renkei.core import permissions
from renkei.core.fiscal import fiscal_year_label, fiscal_year_of
from renkei.core.models import Organization, Region


class Command(BaseCommand):
    help = "相談窓口の一覧、運営協議会向け集計表（Excel・CSV）の出力、過去の相談記録の取込を行います。"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="操作")
        desks = actions.add_parser("desks", help="相談窓口（ID・市町村・名称・記録件数）を一覧表示します。")
        desks.add_argument("--region", default="hachinohe", help="圏域の識別名（既定: hachinohe）")

        report = actions.add_parser("report", help="集計表を Excel（.xlsx）または CSV で書き出します。")
        report.add_argument("output", help="出力ファイル（拡張子 .xlsx または .csv）")
        report.add_argument(
            "--fiscal-year", type=int, help="年度（4月始まり、例: 2024 = 令和6年度）。省略時は今年度"
        )
        scope = report.add_mutually_exclusive_group()
        scope.add_argument("--desk", type=int, help="1つの相談窓口（ID）")
        scope.add_argument("--municipality", help="1つの市町村の全窓口（地方公共団体コード）")
        report.add_argument("--region", default="hachinohe", help="圏域の識別名（既定: hachinohe）")

        load = actions.add_parser(
            "import", help="相談記録を CSV・Excel から取り込みます（テンプレート形式）。"
        )
        load.add_argument("desk", type=int, help="取込先の相談窓口（ID）")
        load.add_argument("file", help="CSV（UTF-8 または Shift_JIS）または .xlsx")
        load.add_argument(
            "--valid-rows-only", action="store_true", help="誤りのある行を除き、正しい行だけを取り込む"
        )

    def handle(self, *args, **options) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _region(self, slug: str) -> Region:
        region = Region.objects.filter(slug=slug).first()
        if region is None:
            raise CommandError(f"圏域「{slug}」は登録されていません。")
        return region

    def _desk_queryset(self, region: Region):
        return Organization.objects.filter(
            municipality__region=region, kind__in=permissions.CONSULTATION_DESK_KINDS, is_active=True
        ).select_related("municipality")

    def _desks(self, options) -> None:
        from django.db.models import Count

        region = self._region(options["region"])
        for desk in (
            self._desk_queryset(region)
            .annotate(records=Count("consultations"))
            .order_by("municipality__code", "name")
        ):
            self.stdout.write(f"{desk.pk}\t{desk.municipality.name}\t{desk.name}\t{desk.records}件")

    def _report(self, options) -> None:
        output = Path(options["output"])
        if output.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("出力ファイルの拡張子は .xlsx か .csv にしてください。")
        region = self._region(options["region"])
        scope = services.StatisticsScope.of_region(region)
        municipality = None
        if options["municipality"]:
            municipality = scope.municipalities.filter(code=options["municipality"]).first()
            if municipality is None:
                raise CommandError(
                    f"市町村コード「{options['municipality']}」は{region.name}の市町村ではありません。"
                )
        fiscal_year = options["fiscal_year"] or fiscal_year_of(timezone.localdate())
        try:
            request = services.statistics_request(
                scope, fiscal_year=fiscal_year, desk_id=options["desk"], municipality=municipality
            )
        except services.FiscalYearOutOfRange as exc:
            raise CommandError(exc.message) from None
        except services.ConsultationError as exc:
            raise CommandError(f"{fiscal_year}年度は集計できません: {exc.message}") from None
        except PermissionDenied:
            raise CommandError(f"相談窓口（ID {options['desk']}）は{region.name}にありません。") from None
        result = services.statistics_of(request)
        content = (
            services.statistics_workbook(result)
            if output.suffix.lower() == ".xlsx"
            else services.statistics_csv(result)
        )
        output.write_bytes(content)
        self.stdout.write(
            f"{fiscal_year_label(fiscal_year)} {request.scope_label}: 相談件数 {result.total}件 → {output}"
        )

    def _import(self, options) -> None:
        desk = Organization.objects.filter(pk=options["desk"]).select_related("municipality__region").first()
        if desk is None or not permissions.is_consultation_desk(desk) or desk.municipality.region_id is None:
            raise CommandError(
                f"相談窓口（ID {options['desk']}）が見つかりません。`consultations desks` で確認してください。"
            )
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"ファイル「{path}」が見つかりません。")
        try:
            result = services.import_consultations(
                None,  # the operator at the console
                desk,
                filename=path.name,
                data=path.read_bytes(),
                valid_rows_only=options["valid_rows_only"],
            )
        except services.ImportRejected as exc:
            for line, message in exc.result.errors:
                self.stderr.write(f"{line}行目: {message}")
            raise CommandError(f"{exc}（誤りのある行: {exc.result.skipped}行）") from None
        except services.ConsultationError as exc:
            raise CommandError(str(exc)) from None
        for line, message in result.errors:
            self.stderr.write(f"{line}行目（取り込まず）: {message}")
        self.stdout.write(f"{desk.name}: {services.import_summary(result, noun='')}")
