"""``renkei import-facilities --format kaigo|iryo|renkei FILE…``: load official open data or the
Renkei template into the directory. Safe to repeat: an unchanged file changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renkei.directory.importers import FORMATS, run_import, write_rejected_csv


class Command(BaseCommand):
    help = "医療・介護の公開データ（介護サービス情報公表システム・医療情報ネット）や Renkei 取込テンプレートを施設一覧に取り込みます。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="取り込むファイル（CSV、Excel、zip）")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS), help="ファイルの形式")
        parser.add_argument("--dry-run", action="store_true", help="結果を表示するだけで書き込みません")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="誤りのある行を除いて取り込みます（--rejected-out で除外した行を CSV に書き出します）",
        )
        parser.add_argument(
            "--rejected-out", metavar="PATH", help="除外した行の書き出し先（UTF-8 BOM 付き CSV）"
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="全件のファイルとして扱い、ファイルにない同じ出典の施設を「一覧にない」として数えます",
        )
        parser.add_argument(
            "--overwrite-newer",
            action="store_true",
            help="新しい変更も上書きする: ファイルの作成後（日付のないファイルでは前回の取込の後）に"
            "確認・編集された施設も、ファイルの内容で更新します",
        )

    def handle(self, *args, **options) -> None:
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"ファイル「{name}」が見つかりません。")
        if options["rejected_out"] and not options["skip_invalid"]:
            raise CommandError("--rejected-out は --skip-invalid と一緒に指定してください。")
        if options["rejected_out"]:
            problem = _unwritable(Path(options["rejected_out"]))
            if problem:
                raise CommandError(
                    f"--rejected-out「{options['rejected_out']}」に書き出せません（{problem}）。"
                    "取り込みは行っていません。"
                )
        report = run_import(
            options["format"],
            options["files"],
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
            full=options["full"],
            overwrite_newer=options["overwrite_newer"],
        )
        for issue in report.errors:
            self.stderr.write(f"エラー: {issue}")
        if report.unlisted_errors():
            self.stderr.write(f"（ほかにエラー {report.unlisted_errors()} 件）")
        for issue in report.warnings:
            self.stdout.write(f"注意: {issue}")
        if report.unlisted_warnings():
            self.stdout.write(f"（ほかに注意 {report.unlisted_warnings()} 件）")
        for facility in report.missing_facilities:
            self.stdout.write(f"一覧にない: {facility.code} {facility.name}（id {facility.id}）")
        if options["rejected_out"] and report.ok and report.rejected_rows:
            try:
                count = write_rejected_csv(report, options["rejected_out"])
            except OSError as exc:
                # Checked before the import, but the disk may have filled up since: the import
                # itself stands, so say what happened and still print the summary.
                self.stderr.write(
                    f"除外した行を {options['rejected_out']} に書き出せませんでした（{exc.strerror or exc}）。"
                )
            else:
                self.stdout.write(f"除外した {count} 行を {options['rejected_out']} に書き出しました。")
        for line in report.summary_lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("取り込みを中止しました。データベースは変更していません。")


def _unwritable(path: Path) -> str:
    """Why ``path`` cannot be written (checked before importing, so that nothing is imported whose
    rejected rows then cannot be saved), or ``""``. Nothing is created here."""
    if path.is_dir():
        return "フォルダーです。ファイル名を指定してください"
    if path.exists():
        return "" if os.access(path, os.W_OK) else "書き込みの権限がありません"
    folder = path.parent
    if not folder.is_dir():
        return f"フォルダー「{folder}」がありません"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"フォルダー「{folder}」に書き込みの権限がありません"
    return ""
