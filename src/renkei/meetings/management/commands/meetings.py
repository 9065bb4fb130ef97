"""``renkei meetings``: send the survey requests and reminders (re-runnable)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from renkei.meetings.services.survey_mail import send_survey_mails


class Command(BaseCommand):
    help = "会議・研修: アンケートの回答依頼と締切前のリマインダーの送信。"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="操作")
        remind = actions.add_parser(
            "send-survey-reminders",
            help="回答受付中のアンケートの依頼と、締切3日前のリマインダーをメールで送ります（個人情報は書きません）。"
            "何度実行しても同じメールは1回だけです。",
        )
        remind.add_argument("--dry-run", action="store_true", help="送らずに件数だけ表示する")

    def handle(self, *args, **options) -> None:
        run = send_survey_mails(dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write(f"送信対象: {run.due}件（送信していません）")
            return
        self.stdout.write(
            f"送信対象 {run.due}件: 依頼 {run.invited}件、リマインダー {run.reminded}件、失敗 {run.failed}件"
        )
        if run.failed:
            raise CommandError(
                "送れなかったメールがあります。受信を拒否された宛先は記録し、それ以外は次回の実行で送ります。"
            )
