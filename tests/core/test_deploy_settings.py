from __future__ import annotations

import os
import secrets
import subprocess
import sys


def _renkei(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "renkei", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_deploy_check_passes_with_production_variables(tmp_path):
    result = _renkei(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "renkei.example.jp",
            "RENKEI_VAR_DIR": str(tmp_path),
            "EMAIL_URL": "smtp://mail.example.jp:587",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_in_production_ends_with_one_japanese_line(tmp_path):
    result = _renkei("check", env={"DEBUG": "false", "RENKEI_VAR_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "renkei: 設定エラー: SECRET_KEY が設定されていません。本番環境では環境変数 SECRET_KEY に50文字以上の乱数を設定してください。"
    ]


def test_malformed_database_url_ends_with_one_japanese_line(tmp_path):
    result = _renkei(
        "check", env={"DEBUG": "true", "RENKEI_VAR_DIR": str(tmp_path), "DATABASE_URL": "nonsense"}
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "renkei: 設定エラー: DATABASE_URL の形式が正しくありません"
    )


def test_a_replica_url_adds_the_replica_and_its_router(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "renkei.settings",  # not the suite's, which adds a stand-in replica
        "DEBUG": "1",
        "RENKEI_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://renkei@db1.example.jp:5432/renkei",
        "DATABASE_REPLICA_URL": "postgres://renkei_ro@db2.example.jp:5432/renkei",
    }
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['replica']['HOST'], s.RENKEI_READ_REPLICA, s.DATABASE_ROUTERS)"
    )
    result = _renkei("shell", "--no-imports", "-c", code, env=env)
    assert result.stdout.split() == [
        "db2.example.jp",
        "replica",
        "['renkei.core.replica.PublicReadsToReplica']",
    ]


def test_a_replica_of_another_kind_of_database_is_refused(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "renkei.settings",
        "DEBUG": "1",
        "RENKEI_VAR_DIR": str(tmp_path),
        "DATABASE_REPLICA_URL": "postgres://renkei_ro@db2.example.jp:5432/renkei",
    }
    result = _renkei("check", env=env)
    assert result.returncode == 2
    assert "DATABASE_REPLICA_URL は DATABASE_URL と同じ種類のデータベースにしてください。" in result.stderr
