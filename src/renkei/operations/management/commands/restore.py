"""``renkei restore IN --key-file PATH [--verify]``: see :mod:`renkei.operations.backup`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renkei.operations.backup import BackupError, restore
from renkei.operations.backup import verify as verify_archive


class Command(BaseCommand):
    help = "バックアップを空のデータベースとアップロード保存先に復元します（--verify: 復元せずに検査のみ）。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", metavar="IN", help="バックアップファイル")
        parser.add_argument("--key-file", required=True, help="バックアップの鍵のファイル")
        parser.add_argument("--verify", action="store_true", help="復号とチェックサムの検査だけを行います")

    def handle(self, *args, archive: str, key_file: str, verify: bool = False, **options) -> None:
        try:
            manifest = (verify_archive if verify else restore)(Path(archive), Path(key_file))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        files = len(manifest["members"]) - 1
        done = "検査しました（問題なし）" if verify else "復元しました"
        self.stdout.write(f"{done}: {archive}（データベース {manifest['vendor']}、ファイル {files} 件）")
