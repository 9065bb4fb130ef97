"""``renkei send-sharing-digest``: the daily digest mail. Run it from cron once a day (or more
often: a person gets at most one digest per calendar day, and no window of posts is mailed twice)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from renkei.sharing.services import send_digests


class Command(BaseCommand):
    help = "ケアチームの新着投稿を1日1回まとめてメールで知らせます（個人情報は含みません）。何度実行しても二重には送りません。"

    def handle(self, *args, **options) -> None:
        sent = send_digests()
        self.stdout.write(f"まとめ通知を{sent}通送信しました。")
