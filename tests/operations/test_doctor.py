"""``renkei doctor`` prints each check in Japanese, with what to do when one fails."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from renkei.operations.models import PeriodicRun
from tests.operations.server import free_port, production_env, renkei


def _doctor() -> tuple[str, bool]:
    out = io.StringIO()
    try:
        call_command("doctor", stdout=out)
    except CommandError:
        return out.getvalue(), False
    return out.getvalue(), True


@pytest.mark.django_db
def test_a_reachable_migrated_database_passes_and_development_settings_fail():
    output, passed = _doctor()
    assert f"[OK] データベース: 接続できました（{connection.vendor}）。" in output
    assert "[OK] マイグレーション: すべて適用済みです。" in output
    # The suite's settings are the development ones: no HSTS (security.W004), no secure cookies.
    assert "[NG] 設定: 本番向けでない設定があります: " in output and "security.W004" in output
    assert "      対処: 環境変数 DEBUG=false、SECRET_KEY（50文字以上の乱数）" in output
    assert passed is False


@pytest.mark.django_db
def test_a_periodic_command_run_through_renkei_periodic_is_reported_with_its_last_success():
    output, _passed = _doctor()
    assert "[NG] 定期実行 clearsessions（期限切れセッションの削除）: 一度も成功していません。" in output
    assert "対処: タイマーを有効にしてください: systemctl enable --now renkei-clearsessions.timer" in output

    call_command("periodic", "clearsessions", stdout=io.StringIO())

    run = PeriodicRun.objects.get(command="clearsessions")
    assert run.succeeded and run.last_success_at == run.finished_at
    output, _passed = _doctor()
    assert "[OK] 定期実行 clearsessions（期限切れセッションの削除）: 最後の成功は " in output


def test_an_unreachable_database_fails_with_a_fix(tmp_path):
    env = production_env(tmp_path, DATABASE_URL=f"postgres://renkei@127.0.0.1:{free_port()}/renkei")
    result = renkei("doctor", env=env, timeout=120)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    index = lines.index("[NG] データベース: データベースに接続できません（OperationalError）。")
    assert lines[index + 1] == (
        "      対処: DATABASE_URL の接続先・ユーザー・パスワードと、PostgreSQL が起動していることを確認してください。"
    )
    assert "[OK] アップロード保存先: " in result.stdout
    assert "件の問題があります。上の「対処」を参照してください。" in result.stderr


@pytest.mark.django_db
def test_the_transitions_reminders_of_issue_13_are_a_periodic_command_the_doctor_checks():
    """Issue 13's re-runnable ``renkei transitions send-reminders`` runs from a timer like the others."""
    output, _passed = _doctor()
    assert (
        "[NG] 定期実行 transitions-send-reminders（入退院調整の期限のメール）: 一度も成功していません。"
        in output
    )

    out = io.StringIO()
    call_command("periodic", "transitions-send-reminders", stdout=out)

    assert "送信対象 0件" in out.getvalue()  # the output of `renkei transitions send-reminders`
    assert PeriodicRun.objects.get(command="transitions-send-reminders").succeeded
    output, _passed = _doctor()
    assert "[OK] 定期実行 transitions-send-reminders（入退院調整の期限のメール）: 最後の成功は " in output


def test_every_periodic_command_has_its_systemd_timer_and_runs_in_the_compose_file():
    from pathlib import Path

    from renkei.operations.periodic import COMMANDS

    deploy = Path(__file__).resolve().parent.parent.parent / "deploy"
    compose = (deploy / "compose.yaml").read_text(encoding="utf-8")
    for name, periodic in COMMANDS.items():
        timer = (deploy / "systemd" / f"renkei-{name}.timer").read_text(encoding="utf-8")
        service = (deploy / "systemd" / f"renkei-{name}.service").read_text(encoding="utf-8")
        assert f"OnCalendar={periodic.schedule}" in timer
        assert f"ExecStart=/srv/renkei/.venv/bin/renkei periodic {name}\n" in service
        assert f" {name} " in compose.split("for c in", 1)[1].split(";", 1)[0] + " "


@pytest.mark.django_db
def test_without_a_replica_the_doctor_has_no_replica_line():
    output, _ = _doctor()
    assert "読み取りレプリカ" not in output


@pytest.mark.django_db(databases=["default", "replica"])
def test_a_replica_that_is_a_primary_fails_on_postgresql(settings):
    settings.RENKEI_READ_REPLICA = "replica"
    output, _ = _doctor()
    if connection.vendor == "postgresql":
        # The suite's stand-in replica is an ordinary database, not in recovery: the doctor sees it.
        assert "[NG] 読み取りレプリカ: DATABASE_REPLICA_URL の接続先がレプリカではありません。" in output
    else:
        assert "[OK] 読み取りレプリカ: 接続できました。公開ページの検索はレプリカから読みます。" in output
