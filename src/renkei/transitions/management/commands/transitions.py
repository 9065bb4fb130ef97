"""``renkei transitions``: send the overdue reminders (re-runnable); export and import FHIR documents
as a named user, access-logged as the page is (the origin ``cli``)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from renkei.core.models import User
from renkei.core.services import RuleError
from renkei.transitions import services
from renkei.transitions.fhir_import import MAX_BYTES


class Command(BaseCommand):
    help = "入退院調整: 期限を過ぎた項目のリマインダー送信、FHIR文書の出力・取込。"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="操作")
        remind = actions.add_parser(
            "send-reminders",
            help="期限を過ぎた項目をメールで知らせます（個人情報は書きません）。何度実行しても同じ通知は1回だけです。",
        )
        remind.add_argument("--dry-run", action="store_true", help="送らずに件数だけ表示する")
        export = actions.add_parser("export-fhir", help="文書をFHIR Bundle（document）のJSONで書き出します。")
        export.add_argument("document_id", type=int, help="文書のID")
        export.add_argument("--user", required=True, help="操作する人のユーザー名（権限とアクセス記録）")
        export.add_argument("output", help="出力ファイル（.json）")
        load = actions.add_parser("import-fhir", help="FHIR文書（Bundle, type=document）を取り込みます。")
        load.add_argument("file", help="FHIR JSON ファイル")
        load.add_argument("--user", required=True, help="操作する人のユーザー名（権限とアクセス記録）")
        load.add_argument("--patient", type=int, help="取込先の利用者ID（省略時はふりがな・生年月日で照合）")
        seed = actions.add_parser(
            "seed-sheets", help="圏域の連携シートの様式に多職種連携シート（第1版）を登録します。"
        )
        seed.add_argument("--region", required=True, help="圏域の識別名（例: hachinohe）")

    def handle(self, *args, **options) -> None:
        handler = {
            "send-reminders": self._send_reminders,
            "export-fhir": self._export,
            "import-fhir": self._import,
            "seed-sheets": self._seed_sheets,
        }[options["action"]]
        try:
            handler(options)
        except PermissionDenied:
            raise CommandError("この操作の権限がありません。") from None
        except Http404:
            raise CommandError("指定されたものが見つかりません。") from None
        except RuleError as exc:
            raise CommandError(exc.message) from None

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"ユーザー「{username}」はいません。")
        return user

    def _send_reminders(self, options) -> None:
        run = services.send_reminders(dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write(f"送信対象: {run.due}件（送信していません）")
            return
        self.stdout.write(
            f"送信対象 {run.due}件: 送信 {run.sent}件（メール{run.mails}通）、失敗 {run.failed}件、"
            f"対象外 {run.skipped}件"
        )
        if run.failed:
            raise CommandError(
                "送れなかったメールがあります。受信を拒否された宛先は記録し、それ以外は次回の実行で送ります。"
            )

    def _export(self, options) -> None:
        user = self._user(options["user"])
        bundle = services.export_document(user, options["document_id"])
        Path(options["output"]).write_text(json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8")
        self.stdout.write(f"{options['output']} に書き出しました。")

    def _import(self, options) -> None:
        user = self._user(options["user"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"ファイル {path} がありません。")
        if path.stat().st_size > MAX_BYTES:  # bounded before reading
            raise CommandError(f"ファイルが大きすぎます（{MAX_BYTES // 1024 // 1024}MBまで）。")
        document = services.import_document(user, path.read_bytes(), patient_pk=options["patient"])
        self.stdout.write(json.dumps(services.import_summary(document), ensure_ascii=False))

    def _seed_sheets(self, options) -> None:
        from renkei.core.models import Region
        from renkei.transitions.sheets.seed import seed_collaboration_sheet

        region = Region.objects.filter(slug=options["region"]).first()
        if region is None:
            raise CommandError(f"圏域「{options['region']}」はありません。")
        definition, created = seed_collaboration_sheet(region)
        state = "登録しました" if created else "登録済みです"
        self.stdout.write(f"{region.name}の{definition.name}（様式ID {definition.pk}）を{state}。")
