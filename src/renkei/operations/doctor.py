"""``renkei doctor``'s checks of a deployment. Each returns a :class:`Finding`: what was checked, in
Japanese, whether it passed, and — when it did not — what to do about it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import checks, mail
from django.db import DatabaseError, connections
from django.utils import timezone

from renkei.core.replica import replica_alias
from renkei.operations.health import pending_migrations
from renkei.operations.periodic import COMMANDS

OK, WARNING, FAILED = "OK", "注意", "NG"


@dataclass(frozen=True)
class Finding:
    name: str
    status: str
    message: str
    fix: str = ""


def settings_check() -> Finding:
    problems = []
    if settings.DEBUG:
        problems.append("DEBUG が有効です")
    if len(settings.SECRET_KEY) < 50:
        problems.append("SECRET_KEY が50文字未満です")
    if not settings.ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS が空です")
    issues = [
        issue
        for issue in checks.run_checks(include_deployment_checks=True)
        if issue.level >= checks.WARNING and not issue.is_silenced()
    ]
    problems += [f"{issue.id}" for issue in issues]
    if problems:
        return Finding(
            "設定",
            FAILED,
            "本番向けでない設定があります: " + "、".join(problems),
            "環境変数 DEBUG=false、SECRET_KEY（50文字以上の乱数）、ALLOWED_HOSTS を設定し、"
            "renkei check --deploy の指摘を直してください。",
        )
    return Finding("設定", OK, "本番向けの設定です（renkei check --deploy に指摘なし）。")


def database_check() -> Finding:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return Finding(
            "データベース",
            FAILED,
            f"データベースに接続できません（{type(exc).__name__}）。",
            "DATABASE_URL の接続先・ユーザー・パスワードと、PostgreSQL が起動していることを確認してください。",
        )
    return Finding("データベース", OK, f"接続できました（{connections['default'].vendor}）。")


def replica_check() -> list[Finding]:
    """The read replica of the public pages, when one is configured: reachable, and really a replica
    (a primary in its place would never see the region's edits)."""
    alias = replica_alias()
    if not alias:
        return []
    fix = (
        "DATABASE_REPLICA_URL の接続先と、ストリーミングレプリケーションが動いていることを確認してください。"
    )
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery()" if connections[alias].vendor == "postgresql" else "SELECT 1"
            )
            in_recovery = bool(cursor.fetchone()[0])
    except DatabaseError as exc:
        return [
            Finding("読み取りレプリカ", FAILED, f"レプリカに接続できません（{type(exc).__name__}）。", fix)
        ]
    if connections[alias].vendor == "postgresql" and not in_recovery:
        return [
            Finding(
                "読み取りレプリカ", FAILED, "DATABASE_REPLICA_URL の接続先がレプリカではありません。", fix
            )
        ]
    return [Finding("読み取りレプリカ", OK, "接続できました。公開ページの検索はレプリカから読みます。")]


def migrations_check() -> Finding:
    try:
        pending = pending_migrations()
    except DatabaseError:
        return Finding(
            "マイグレーション",
            FAILED,
            "データベースに接続できないため確認できません。",
            "先にデータベースの問題を直してください。",
        )
    if pending:
        return Finding(
            "マイグレーション",
            FAILED,
            f"未適用のマイグレーションが{len(pending)}件あります（{', '.join(pending[:3])}…）。",
            "renkei migrate を実行してください。",
        )
    return Finding("マイグレーション", OK, "すべて適用済みです。")


def mail_check() -> Finding:
    backend = settings.EMAIL_BACKEND
    if not backend.endswith("smtp.EmailBackend"):
        return Finding(
            "メール",
            WARNING,
            f"メールは送信されません（{backend.rsplit('.', 2)[-2]}）。",
            "EMAIL_URL に SMTP サーバーを設定してください（例: smtp+tls://user:pw@mail.example.jp:587）。",
        )
    connection = mail.get_connection(timeout=10)
    try:
        connection.open()
    except OSError as exc:
        return Finding(
            "メール",
            FAILED,
            f"SMTP サーバー {settings.EMAIL_HOST}:{settings.EMAIL_PORT} に接続できません（{type(exc).__name__}）。",
            "EMAIL_URL のホスト・ポート・認証情報と、サーバーからの送信が許可されていることを確認してください。",
        )
    finally:
        connection.close()
    return Finding(
        "メール", OK, f"SMTP サーバー {settings.EMAIL_HOST}:{settings.EMAIL_PORT} に接続できました。"
    )


def fonts_check() -> Finding:
    fix = "日本語フォントを入れてください（Debian: apt-get install fonts-noto-cjk）。"
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return Finding(
            "PDF用フォント",
            FAILED,
            "fontconfig（fc-list）が見つかりません。",
            "apt-get install fontconfig fonts-noto-cjk を実行してください。",
        )
    found = subprocess.run(  # noqa: S603 (fc-list from PATH, fixed arguments)
        [fc_list, ":lang=ja", "family"], capture_output=True, text=True, timeout=30, check=False
    ).stdout
    if "Noto Sans CJK JP" in found:
        return Finding("PDF用フォント", OK, "Noto Sans CJK JP があります。")
    if found.strip():
        return Finding(
            "PDF用フォント",
            WARNING,
            "Noto Sans CJK JP がありません（別の日本語フォントで印刷されます）。",
            fix,
        )
    return Finding("PDF用フォント", FAILED, "日本語フォントがありません。PDF の日本語が表示されません。", fix)


def media_check() -> Finding:
    root = Path(settings.MEDIA_ROOT)
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".doctor-"):
            pass
    except OSError as exc:
        return Finding(
            "アップロード保存先",
            FAILED,
            f"{root} に書き込めません（{type(exc).__name__}）。",
            "RENKEI_VAR_DIR の media フォルダーを作り、Renkei を動かすユーザーが書き込めるようにしてください。",
        )
    return Finding("アップロード保存先", OK, f"{root} に書き込めます。")


def periodic_check() -> list[Finding]:
    from renkei.operations.models import PeriodicRun

    try:
        runs = {run.command: run for run in PeriodicRun.objects.all()}
    except DatabaseError:
        return [
            Finding(
                "定期実行",
                FAILED,
                "データベースに接続できないため確認できません。",
                "先にデータベースの問題を直してください。",
            )
        ]
    findings = []
    now = timezone.now()
    for name, periodic in COMMANDS.items():
        run = runs.get(name)
        title = f"定期実行 {name}（{periodic.label}）"
        fix = f"タイマーを有効にしてください: systemctl enable --now renkei-{name}.timer（cron なら renkei periodic {name}）。"
        if run is None or run.last_success_at is None:
            findings.append(Finding(title, FAILED, "一度も成功していません。", fix))
        elif now - run.last_success_at > periodic.every:
            when = timezone.localtime(run.last_success_at).strftime("%Y-%m-%d %H:%M")
            findings.append(
                Finding(
                    title,
                    FAILED,
                    f"最後の成功は {when} で、間隔が空きすぎています。",
                    fix + " 失敗していないか journalctl -u renkei-" + name + " も確認してください。",
                )
            )
        else:
            when = timezone.localtime(run.last_success_at).strftime("%Y-%m-%d %H:%M")
            findings.append(Finding(title, OK, f"最後の成功は {when} です。"))
    return findings


CHECKS: list[Callable[[], Finding | list[Finding]]] = [
    settings_check,
    database_check,
    replica_check,
    migrations_check,
    mail_check,
    fonts_check,
    media_check,
    periodic_check,
]


def run_all() -> list[Finding]:
    findings: list[Finding] = []
    for check in CHECKS:
        result = check()
        findings.extend(result if isinstance(result, list) else [result])
    return findings
