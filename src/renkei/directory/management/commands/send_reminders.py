"""``renkei send-reminders``: e-mail every facility whose entry (or acceptance status) is due for
confirmation. Safe to run from cron as often as wanted: a reminder is never sent twice, and one the
mail server refused is sent by the next run."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from renkei.directory import freshness


class Command(BaseCommand):
    help = "確認の期限が近い・過ぎた施設に、更新用リンク付きの確認依頼メールを送ります。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="送る対象の件数を表示するだけで送りません")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        run = freshness.send_reminders(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"送信対象（送信済みを含む）: {run.due} 件（--dry-run のため送信していません）")
            return
        self.stdout.write(
            f"送信対象 {run.due} 件のうち、今回送信 {run.sent} 件、送信失敗 {run.failed} 件"
            f"（失敗分と未送信分は次回の実行で送ります）。"
        )
        if run.failed:
            self.stderr.write("メールサーバーに送れませんでした。設定（EMAIL_URL）を確認してください。")
