"""``renkei send-sharing-digest``: the daily digest mail. Run it from cron once a day (or more
often: a person gets at most one digest per calendar day, and no window of posts is mailed twice).
A digest the mail server could not take is sent by the next run; an address the server refuses for
good is recorded. Exits with status 1 when any mail failed, so that cron reports it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from renkei.sharing.services import send_digests


class Command(BaseCommand):
    help = "ケアチームの新着投稿を1日1回まとめてメールで知らせます（個人情報は含みません）。何度実行しても二重には送りません。"

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_digests()
        self.stdout.write(f"まとめ通知を{run.sent}通送信しました。")
        if run.failed:
            self.stdout.write(f"送信失敗 {run.failed} 通（うち受信拒否 {run.refused} 通）。")
            raise CommandError(
                "送れなかったまとめ通知があります。受信を拒否されたアドレスはその日の分を記録し、"
                "それ以外は次回の実行で送ります。設定（EMAIL_URL）を確認してください。"
            )
