"""``renkei api-token``: issue, list and revoke personal API tokens."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renkei.core.models import ApiToken, User
from renkei.core.tokens import issue_token


class Command(BaseCommand):
    help = "個人用APIトークンを発行・一覧・失効します。"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="操作")
        create = actions.add_parser("create", help="トークンを発行します（表示は一度だけ）。")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="用途（例: 連携室の集計スクリプト）")
        create.add_argument("--days", type=int, default=365, help="有効日数（既定 365）")
        listing = actions.add_parser("list", help="利用者のトークンを一覧表示します。")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="トークンを失効させます。")
        revoke.add_argument("prefix")

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "revoke":
            updated = ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            if not updated:
                raise CommandError(f"有効なトークン「{options['prefix']}」は見つかりません。")
            self.stdout.write("失効させました。")
            return
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"利用者「{options['username']}」は登録されていません。")
        if action == "create":
            if options["days"] < 1:
                raise CommandError("--days は1以上にしてください。")
            _, text = issue_token(user, options["name"], timezone.now() + timedelta(days=options["days"]))
            self.stdout.write(text)
        else:
            for token in user.api_tokens.order_by("created_at"):
                state = "失効" if token.revoked_at else "有効"
                self.stdout.write(f"{token.prefix}\t{token.name}\t{state}\t{token.expires_at:%Y-%m-%d}")
