"""``renkei send-reminders``: e-mail every facility whose entry (or acceptance status) is due for
confirmation. Safe to run from cron as often as wanted: a reminder is never sent twice, and one the
mail server could not take is sent by the next run. An address the server refuses for good is marked
bounced (shown on the dashboard). Exits with status 1 when any mail failed, so that cron reports it."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from renkei.freshness.services.reminders import send_reminders


class Command(BaseCommand):
    help = "確認の期限が近い・過ぎた施設に、更新用リンク付きの確認依頼メールを送ります。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="送る対象の件数を表示するだけで送りません")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        run = send_reminders(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"未送信の送信対象: {run.due} 件（--dry-run のため送信していません）")
            return
        self.stdout.write(
            f"送信対象 {run.due} 件のうち、今回送信 {run.sent} 件（メール {run.mails} 通）、"
            f"送信失敗 {run.failed} 件、受信拒否で不達にした連絡先 {run.bounced} 件。"
        )
        if run.failed:
            raise CommandError(
                "送れなかったメールがあります。受信を拒否された連絡先は不達として記録し、"
                "それ以外は次回の実行で送ります。設定（EMAIL_URL）とダッシュボードの「メール不達」を確認してください。"
            )
