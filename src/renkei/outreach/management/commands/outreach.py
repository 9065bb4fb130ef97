"""``renkei outreach guide``: print a resource guide (PDF) from the live directory;
``renkei outreach care-path``: print a municipality's 認知症ケアパス (PDF)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renkei.core.services import RuleError
from renkei.directory.catalog import Category
from renkei.outreach.services import care_path, guide


class Command(BaseCommand):
    help = "地域資源ガイド（PDF）など、住民向けの資料を作ります。"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="操作")
        printed = actions.add_parser("guide", help="市町村・種別ごとの地域資源ガイドを PDF で書き出します。")
        printed.add_argument("output", help="出力ファイル（.pdf）")
        printed.add_argument("--municipality", default="", help="市町村コード（6桁）。省略時は圏域全体")
        printed.add_argument(
            "--category",
            action="append",
            choices=Category.values,
            metavar="CATEGORY",
            help="種別（繰り返し可、例: --category clinic --category gathering_place）。省略時はすべて",
        )
        printed.add_argument(
            "--layout",
            choices=sorted(guide.LAYOUTS),
            default="a4",
            help="a4（A4）または a5（A5 冊子、面付け）",
        )

        care = actions.add_parser(
            "care-path", help="市町村の認知症ケアパスを A4 横の PDF で書き出します（下書きも印刷できます）。"
        )
        care.add_argument("output", help="出力ファイル（.pdf）")
        care.add_argument("--municipality", required=True, help="市町村コード（6桁）")

    def handle(self, *args, **options) -> None:
        output = Path(options["output"])
        if output.suffix.lower() != ".pdf":
            raise CommandError("出力ファイルの拡張子は .pdf にしてください。")
        if options["action"] == "care-path":
            try:
                content = care_path.care_path_pdf(options["municipality"])
            except RuleError as exc:
                raise CommandError(exc.message) from None
            output.write_bytes(content)
            self.stdout.write(
                f"{output} に書き出しました（認知症ケアパス、A4 横、{len(content):,} バイト）。"
            )
            return
        try:
            content = guide.guide_pdf(options["municipality"], options["category"] or [], options["layout"])
        except RuleError as exc:
            raise CommandError(exc.message) from None
        output.write_bytes(content)
        self.stdout.write(
            f"{output} に書き出しました（{guide.LAYOUTS[options['layout']]}、{len(content):,} バイト）。"
        )
