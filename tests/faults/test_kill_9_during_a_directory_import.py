"""``kill -9`` of a directory import while it writes: the facilities of the file are all there or none
are — never part of them — and the import run again afterwards loads them all."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.operations.server import production_env, renkei

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from directory_import import generate

OFFICES = 6000
HACHINOHE = [("022039", "青森県", "八戸市")]


def writing(database: Path) -> bool:
    """Whether another connection holds the write lock (the import's transaction is open)."""
    probe = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()
    return False


def facilities(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT count(*) FROM directory_facility").fetchone()[0]


def test_an_import_killed_mid_transaction_leaves_all_or_nothing(tmp_path):
    env = production_env(tmp_path)
    assert renkei("migrate", "--noinput", "-v0", env=env).returncode == 0
    database = tmp_path / "renkei.sqlite3"
    before = facilities(database)
    files = tmp_path / "files"
    files.mkdir()
    generate(files, OFFICES, HACHINOHE)
    command = [
        sys.executable,
        "-m",
        "renkei",
        "import-facilities",
        "--format",
        "kaigo",
        *map(str, files.iterdir()),
    ]
    importing = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and importing.poll() is None and not writing(database):
            time.sleep(0.05)
        time.sleep(0.5)  # well inside the transaction: rows are being written
        assert importing.poll() is None, "the import ended before it could be killed"
        importing.kill()
    finally:
        importing.wait(timeout=30)

    assert facilities(database) == before
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    again = renkei("import-facilities", "--format", "kaigo", *map(str, files.iterdir()), env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert facilities(database) == before + OFFICES
