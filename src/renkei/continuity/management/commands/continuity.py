"""``renkei continuity``: tonight's first contact for each of a user's patients; the 救急医療情報キット;
the reminders of passed 人生会議 review dates (re-runnable)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renkei.continuity import services
from renkei.core.models import User


class Command(BaseCommand):
    help = "夜間・休日の連絡先（今夜の当番）を表示し、救急医療情報キットを PDF で書き出します。"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="操作")
        tonight = actions.add_parser(
            "tonight", help="利用者ごとに、指定日時に最初につながる連絡先を1行の JSON で表示します。"
        )
        tonight.add_argument("--at", required=True, help="日時（ISO 8601。タイムゾーンなしは日本時間）")
        tonight.add_argument("--user", required=True, help="ユーザー名（その人のケアチームの利用者）")
        kit = actions.add_parser("kit", help="救急医療情報キット（A4 PDF）を書き出します（閲覧として記録）。")
        kit.add_argument("patient_id", type=int, help="利用者ID")
        kit.add_argument("output", help="出力する PDF ファイル")
        kit.add_argument("--user", required=True, help="印刷するユーザー名（ケアチームのメンバー）")
        remind = actions.add_parser(
            "send-acp-reminders",
            help="人生会議の見直し日を過ぎたことをケアチームにメールで知らせます（個人情報は書きません）。"
            "何度実行しても同じ通知は1回だけです。",
        )
        remind.add_argument("--dry-run", action="store_true", help="送らずに送信対象だけ表示する")
        actions.add_parser(
            "rebuild-cover", help="24時間対応の資源の集計表を、施設情報から作り直します（移行の後など）。"
        )

    def handle(self, *args, **options) -> None:
        getattr(self, f"_{options['action'].replace('-', '_')}")(options)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"ユーザー「{username}」は登録されていないか、無効です。")
        return user

    def _tonight(self, options) -> None:
        try:
            moment = datetime.fromisoformat(options["at"])
        except ValueError:
            raise CommandError(
                "--at は ISO 8601 の日時で指定してください（例: 2026-12-24T22:00）。"
            ) from None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        user = self._user(options["user"])
        rows = services.tonight(user, moment)
        line = {"at": timezone.localtime(moment).isoformat(), "user": user.username, "patients": rows}
        self.stdout.write(json.dumps(line, ensure_ascii=False))

    def _kit(self, options) -> None:
        from renkei.sharing.models import Patient

        user = self._user(options["user"])
        patient = (
            Patient.objects.select_related("organization__municipality")
            .filter(pk=options["patient_id"])
            .first()
        )
        if patient is None:
            raise CommandError(f"利用者ID {options['patient_id']} は登録されていません。")
        try:
            content, printed = services.print_kit(user, patient)
        except PermissionDenied:
            raise CommandError("この利用者の救急医療情報キットを印刷する権限がありません。") from None
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"{options['output']} に書き出しました（版コード {printed.version_code}）。")

    def _send_acp_reminders(self, options) -> None:
        run = services.send_acp_reminders(dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write(f"送信対象: {run.due}件（送信していません）")
            for patient_id, review_on, recipients in run.planned:
                self.stdout.write(
                    f"利用者ID {patient_id}（見直し日 {review_on.isoformat()}）: {recipients}人"
                )
            return
        self.stdout.write(
            f"送信対象 {run.due}件: 送信 {run.sent}件（メール{run.mails}通）、失敗 {run.failed}件、"
            f"対象外 {run.skipped}件"
        )
        if run.failed:
            raise CommandError(
                "送れなかったメールがあります。受信を拒否された宛先は記録し、それ以外は次回の実行で送ります。"
            )

    def _rebuild_cover(self, options) -> None:
        from renkei.continuity.services import cover_summary

        counted = cover_summary.recompute()
        self.stdout.write(f"24時間対応の資源の集計を作り直しました（施設 {counted} 件）。")
