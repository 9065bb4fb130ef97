"""``renkei doctor``: check a deployment and say, in Japanese, what to fix. Exit status 1 when a check
failed (warnings alone leave it 0)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from renkei.operations.doctor import FAILED, OK, run_all


class Command(BaseCommand):
    help = "本番環境の設定・データベース・メール・フォント・保存先・定期実行を確認し、直し方を表示します。"
    # The settings check runs Django's checks itself; doctor must run even where they fail.
    requires_system_checks: list[str] = []

    def handle(self, *args, **options) -> None:
        findings = run_all()
        for finding in findings:
            self.stdout.write(f"[{finding.status}] {finding.name}: {finding.message}")
            if finding.status != OK and finding.fix:
                self.stdout.write(f"      対処: {finding.fix}")
        failed = sum(finding.status == FAILED for finding in findings)
        if failed:
            raise CommandError(f"{failed}件の問題があります。上の「対処」を参照してください。")
        self.stdout.write("問題は見つかりませんでした。")
