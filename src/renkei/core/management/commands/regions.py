"""``renkei regions``: list the regions and add municipalities by their 地方公共団体コード."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from renkei.core.models import Region
from renkei.core.services import MunicipalityError, add_municipality


class Command(BaseCommand):
    help = "圏域と市町村を表示・追加します。"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="操作")
        actions.add_parser("list", help="圏域と市町村を一覧表示します。")
        add = actions.add_parser("add-municipality", help="地方公共団体コードで市町村を追加します。")
        add.add_argument("code", help="6桁の地方公共団体コード（検査数字を含む）")
        add.add_argument("--name", default="", help="市町村名（既知のコードなら省略可）")
        add.add_argument("--kana", default="", help="ふりがな")
        add.add_argument("--county", default="", help="郡（例: 三戸郡）")
        add.add_argument("--prefecture", default="", help="都道府県名（省略時はコードから判定）")
        add.add_argument(
            "--region", default="", help="追加先の圏域の識別名（例: hachinohe）。省略時は圏域に属さない"
        )

    def handle(self, *args, **options) -> None:
        if options["action"] == "list":
            self._list()
        else:
            self._add(options)

    def _list(self) -> None:
        for region in Region.objects.prefetch_related("municipalities"):
            self.stdout.write(f"{region.slug}\t{region.name}")
            for municipality in region.municipalities.all():
                self.stdout.write(f"  {municipality.code}\t{municipality.full_name}")

    def _add(self, options) -> None:
        region = None
        if options["region"]:
            region = Region.objects.filter(slug=options["region"]).first()
            if region is None:
                raise CommandError(f"圏域「{options['region']}」は登録されていません。")
        try:
            municipality = add_municipality(
                options["code"],
                name=options["name"],
                kana=options["kana"],
                county=options["county"],
                prefecture=options["prefecture"],
                region=region,
            )
        except MunicipalityError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"追加しました: {municipality.code} {municipality.full_name}")
