"""``renkei backup OUT --key-file PATH``: see :mod:`renkei.operations.backup`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renkei.operations.backup import BackupError, backup


class Command(BaseCommand):
    help = "データベースとアップロードされたファイルを、暗号化した1つのバックアップファイルに書き出します。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("out", help="書き出すバックアップファイル")
        parser.add_argument(
            "--key-file", required=True, help="暗号化の鍵（32バイトの乱数、base64 可）のファイル"
        )

    def handle(self, *args, out: str, key_file: str, **options) -> None:
        try:
            manifest = backup(Path(out), Path(key_file))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        files = len(manifest["members"]) - 1
        self.stdout.write(
            f"バックアップを書き出しました: {out}（データベース {manifest['vendor']}、ファイル {files} 件）"
        )
