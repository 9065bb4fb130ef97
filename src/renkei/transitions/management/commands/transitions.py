"""``renkei transitions``: send the overdue reminders (re-runnable)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from renkei.transitions import services


class Command(BaseCommand):
    help = "入退院調整: 期限を過ぎた項目のリマインダー送信など。"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="操作")
        remind = actions.add_parser(
            "send-reminders",
            help="期限を過ぎた項目をメールで知らせます（個人情報は書きません）。何度実行しても同じ通知は1回だけです。",
        )
        remind.add_argument("--dry-run", action="store_true", help="送らずに件数だけ表示する")

    def handle(self, *args, **options) -> None:
        handler = {"send-reminders": self._send_reminders}[options["action"]]
        handler(options)

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
