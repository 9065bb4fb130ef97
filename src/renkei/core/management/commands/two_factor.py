"""``renkei two-factor``: see who has set up TOTP, and reset a person who lost phone and backup codes."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from renkei.core.models import User
from renkei.core.two_factor import backup_codes_left, has_confirmed_device, reset_devices_by_operator


class Command(BaseCommand):
    help = "2段階認証の設定状況を表示し、認証アプリを失くした利用者の登録を解除します。"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="操作")
        status = actions.add_parser("status", help="利用者の2段階認証の設定状況を表示します。")
        status.add_argument("username")
        reset = actions.add_parser(
            "reset", help="認証アプリとバックアップコードの登録を解除します（本人確認のうえで実行）。"
        )
        reset.add_argument("username")

    def handle(self, *args, **options) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"利用者「{options['username']}」は登録されていません。")
        if options["action"] == "status":
            if has_confirmed_device(user):
                self.stdout.write(f"設定済み（未使用のバックアップコード {backup_codes_left(user)}個）")
            else:
                self.stdout.write("未設定")
            return
        if not reset_devices_by_operator(user):
            raise CommandError(f"利用者「{user.username}」には2段階認証が設定されていません。")
        self.stdout.write(
            "2段階認証の登録を解除しました（APIトークンも無効にしました）。次にログインして利用者の情報を開くときに設定し直します。"
        )
