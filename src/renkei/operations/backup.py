"""``renkei backup`` / ``renkei restore``: one consistent, encrypted archive of a deployment.

The archive holds a tar of ``manifest.json`` (format, database vendor, SHA-256 of every member), the
database — SQLite through its online backup API, PostgreSQL through ``pg_dump --format=custom`` — and
every uploaded file of the private storage (the disk under ``MEDIA_ROOT`` or an S3-compatible bucket). It is encrypted with AES-256-GCM (``cryptography``) in 1 MiB chunks:
each chunk carries its own tag and its number, and the last is marked as last, so a wrong key, a changed
byte, a reordered or a cut-off archive is refused before anything is restored.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.db import connection

from renkei.core.uploads import private_storage

MAGIC = b"RENKEI-BACKUP-1\n"
CHUNK = 1024 * 1024
FORMAT = 1


class BackupError(Exception):
    """A refusal with a Japanese reason for the operator."""


def read_key(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError:
        raise BackupError(
            f"鍵ファイル {path} を読めません。作るには: head -c 32 /dev/urandom | base64 > {path} && chmod 600 {path}"
        ) from None
    if len(raw) == 32:
        return raw
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise BackupError("鍵ファイルは32バイトの乱数（そのまま、または base64）にしてください。")
    return key


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    """96 bits: the archive's random 56, the chunk's number, whether it is the last."""
    return prefix + struct.pack(">IB", index, 1 if last else 0)


def encrypt_file(source: Path, target: Path, key: bytes) -> None:
    aes = AESGCM(key)
    prefix = os.urandom(7)
    size = source.stat().st_size
    with source.open("rb") as plain, target.open("wb") as out:
        out.write(MAGIC + prefix)
        index = 0
        while True:
            data = plain.read(CHUNK)
            last = plain.tell() >= size
            sealed = aes.encrypt(_nonce(prefix, index, last), data, MAGIC)
            out.write(struct.pack(">I", len(sealed)) + sealed)
            index += 1
            if last:
                return


def _chunks(source: Path, key: bytes) -> Iterator[bytes]:
    aes = AESGCM(key)
    with source.open("rb") as sealed_file:
        head = sealed_file.read(len(MAGIC) + 7)
        if not head.startswith(MAGIC):
            raise BackupError("Renkei のバックアップではありません（先頭が違います）。")
        prefix = head[len(MAGIC) :]
        index = 0
        while True:
            length_bytes = sealed_file.read(4)
            if len(length_bytes) != 4:
                raise BackupError("バックアップが途中で切れています。")
            sealed = sealed_file.read(struct.unpack(">I", length_bytes)[0])
            for last in (False, True):
                try:
                    yield aes.decrypt(_nonce(prefix, index, last), sealed, MAGIC)
                except InvalidTag:
                    continue
                break
            else:
                raise BackupError("復号できません。鍵が違うか、バックアップが壊れています。")
            index += 1
            if last:
                if sealed_file.read(1):
                    raise BackupError("バックアップの末尾に余分なデータがあります。")
                return


def decrypt_file(source: Path, target: Path, key: bytes) -> None:
    with target.open("wb") as out:
        for data in _chunks(source, key):
            out.write(data)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _dump_database(target_dir: Path) -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        name = "database.sqlite3"
        source = sqlite3.connect(db["NAME"])
        copy = sqlite3.connect(target_dir / name)
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
        return name
    if connection.vendor == "postgresql":
        name = "database.pgdump"
        _pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target_dir / name))
        return name
    raise BackupError(f"{connection.vendor} のバックアップには対応していません。")


def _pg(program: str, *args: str) -> None:
    db = settings.DATABASES["default"]
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(f"{program} が見つかりません（Debian: apt-get install postgresql-client-15）。")
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    conninfo = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432)]
    conninfo += ["--username", str(db.get("USER") or ""), "--dbname", str(db["NAME"])]
    result = subprocess.run(  # noqa: S603 (pg_dump/pg_restore from PATH, arguments from settings)
        [executable, *conninfo, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} が失敗しました: {result.stderr.strip()[-500:]}")


def _stored_files(storage: Storage, folder: str = "private") -> Iterator[str]:
    """Every file of the private storage (local disk or bucket), by its name in the storage."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}"
    for sub in sorted(folders):
        yield from _stored_files(storage, f"{folder}/{sub}")


def copy_media(work_dir: Path) -> dict[str, str]:
    """Copy every uploaded file out of the private storage into ``work_dir/media/…`` (so that a bucket and
    the disk are archived the same way); returns the archive members and their SHA-256."""
    storage = private_storage()
    members = {}
    for stored in _stored_files(storage):
        copy = work_dir / "media" / stored
        copy.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(stored, "rb") as source, open(copy, "wb") as target:
            shutil.copyfileobj(source, target)
        members["media/" + stored] = _sha256(copy)
    return members


def media_is_empty() -> bool:
    return next(_stored_files(private_storage()), None) is None


def put_media_back(extracted: Path, members: dict[str, str]) -> None:
    """Save the archive's files into the (empty) private storage under their own names."""
    storage = private_storage()
    for name in members:
        if name.startswith("media/"):
            with open(extracted / name, "rb") as source:
                saved = storage.save(name.removeprefix("media/"), File(source))
            if saved != name.removeprefix("media/"):
                raise BackupError(f"{name} を元の名前で復元できませんでした（{saved}）。")


def backup(out: Path, key_path: Path) -> dict:
    key = read_key(key_path)
    with tempfile.TemporaryDirectory(prefix="renkei-backup-") as work:
        work_dir = Path(work)
        database = _dump_database(work_dir)
        members = {database: _sha256(work_dir / database), **copy_media(work_dir)}
        manifest = {"format": FORMAT, "vendor": connection.vendor, "database": database, "members": members}
        (work_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        tar_path = work_dir / "archive.tar"
        with tarfile.open(tar_path, "w") as tar:
            tar.add(work_dir / "manifest.json", "manifest.json")
            tar.add(work_dir / database, database)
            for name in members:
                if name.startswith("media/"):
                    tar.add(work_dir / name, name)
        partial = out.with_name(out.name + ".partial")
        encrypt_file(tar_path, partial, key)
        partial.replace(out)
    return manifest


def _open_verified(archive: Path, key: bytes, work_dir: Path) -> dict:
    tar_path = work_dir / "archive.tar"
    decrypt_file(archive, tar_path, key)
    extracted = work_dir / "extracted"
    with tarfile.open(tar_path) as tar:
        tar.extractall(extracted, filter="data")
    manifest = json.loads((extracted / "manifest.json").read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError("このバージョンの Renkei では読めない形式のバックアップです。")
    for name, digest in manifest["members"].items():
        path = extracted / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"バックアップの {name} がマニフェストのチェックサムと一致しません。")
    return manifest


def verify(archive: Path, key_path: Path) -> dict:
    key = read_key(key_path)
    with tempfile.TemporaryDirectory(prefix="renkei-restore-") as work:
        return _open_verified(archive, key, Path(work))


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore(archive: Path, key_path: Path) -> dict:
    key = read_key(key_path)
    if not media_is_empty():
        where = settings.MEDIA_ROOT if isinstance(private_storage(), FileSystemStorage) else "バケット"
        raise BackupError(f"アップロード保存先 {where} が空ではありません。空の保存先に復元してください。")
    if not _database_is_empty():
        raise BackupError("データベースが空ではありません。空のデータベースに復元してください。")
    with tempfile.TemporaryDirectory(prefix="renkei-restore-") as work:
        manifest = _open_verified(archive, key, Path(work))
        if manifest["vendor"] != connection.vendor:
            raise BackupError(f"{manifest['vendor']} のバックアップは {connection.vendor} に復元できません。")
        extracted = Path(work) / "extracted"
        _restore_database(extracted / manifest["database"])
        put_media_back(extracted, manifest["members"])
    return manifest


def _restore_database(dump: Path) -> None:
    if connection.vendor == "sqlite":
        connection.close()
        source = sqlite3.connect(dump)
        target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        with target:
            source.backup(target)
        target.close()
        source.close()
        return
    connection.close()
    _pg("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", str(dump))
