"""``renkei backup`` → destroy → ``renkei restore``: every row and file back; a wrong key or a damaged
archive refused. On SQLite, and on PostgreSQL when the suite runs there (a database of its own)."""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.operations.server import production_env, renkei


def _fresh_postgres_database(url: str, name: str) -> str:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def site(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    extra = {}
    if url.startswith("postgres"):
        extra["DATABASE_URL"] = _fresh_postgres_database(url, f"backup_{os.getpid()}")
    env = production_env(tmp_path / "var", DEBUG="true", **extra)
    for command in (("migrate", "--noinput", "-v0"), ("load-demo",)):
        result = renkei(*command, env=env)
        assert result.returncode == 0, result.stderr
    media = tmp_path / "var" / "media" / "private" / "sharing"
    media.mkdir(parents=True)
    (media / "紹介状.pdf").write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 50)
    (media / "note.txt").write_text("訪問記録")
    key = tmp_path / "backup.key"
    key.write_text(base64.b64encode(os.urandom(32)).decode())
    yield env, tmp_path, key
    if "DATABASE_URL" in extra:
        _fresh_postgres_database(url, f"backup_{os.getpid()}")


def _rows(env) -> str:
    result = renkei("dumpdata", "--natural-foreign", "--indent", "0", env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def test_backup_destroy_restore_brings_every_row_and_file_back(site):
    env, tmp_path, key = site
    media = tmp_path / "var" / "media"
    rows, files = _rows(env), _files(media)
    assert '"model": "sharing.patient"' in rows and len(files) == 2
    archive = tmp_path / "renkei.backup"
    made = renkei("backup", str(archive), "--key-file", str(key), env=env)
    assert made.returncode == 0, made.stderr
    assert "（データベース " in made.stdout and "ファイル 2 件）" in made.stdout
    assert b"note.txt" not in archive.read_bytes()  # encrypted, names too

    checked = renkei("restore", str(archive), "--key-file", str(key), "--verify", env=env)
    assert checked.returncode == 0 and checked.stdout.startswith("検査しました（問題なし）")

    refused = renkei("restore", str(archive), "--key-file", str(key), env=env)
    assert refused.returncode == 1 and "アップロード保存先" in refused.stderr

    shutil.rmtree(media)
    if "DATABASE_URL" in env:
        env["DATABASE_URL"] = _fresh_postgres_database(
            env["DATABASE_URL"], urlsplit(env["DATABASE_URL"]).path[1:]
        )
    else:
        for path in (tmp_path / "var").glob("renkei.sqlite3*"):
            path.unlink()
    restored = renkei("restore", str(archive), "--key-file", str(key), env=env)
    assert restored.returncode == 0, restored.stderr
    assert _rows(env) == rows
    assert _files(media) == files


def test_a_wrong_key_or_a_damaged_archive_is_refused(site):
    env, tmp_path, key = site
    archive = tmp_path / "renkei.backup"
    assert renkei("backup", str(archive), "--key-file", str(key), env=env).returncode == 0
    wrong = tmp_path / "wrong.key"
    wrong.write_bytes(os.urandom(32))
    result = renkei("restore", str(archive), "--key-file", str(wrong), "--verify", env=env)
    assert result.returncode == 1
    assert "復号できません。鍵が違うか、バックアップが壊れています。" in result.stderr

    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(bytes(data))
    result = renkei("restore", str(damaged), "--key-file", str(key), "--verify", env=env)
    assert result.returncode == 1
    assert "復号できません。鍵が違うか、バックアップが壊れています。" in result.stderr

    cut = tmp_path / "cut.backup"
    cut.write_bytes(archive.read_bytes()[:-100])
    result = renkei("restore", str(cut), "--key-file", str(key), "--verify", env=env)
    assert result.returncode == 1
