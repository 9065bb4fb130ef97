"""``kill -9`` of the whole ``renkei serve`` (master and workers) while timeline posts and desk records
are being saved: after a restart every answered (302) save is there, and every save that is there is
whole — the post with its read mark and access-log row, the record with its categories."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import sys
import threading
import time
from pathlib import Path

from tests.operations.server import Server, production_env, renkei

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
from load import Client, professional_steps  # noqa: E402 (the load benchmark's client and requests)

# Run in `renkei shell` against the server's database: the demo's patient, and a verified session
# each for its care manager and the desk's counsellor.
FIXTURES = f"""
import json, sys
sys.path.insert(0, {str(BENCHMARKS)!r})
from load import professional_fixtures, verified_session
f = professional_fixtures()
print(json.dumps({{"patient": f["patient"], "categories": f["categories"],
    "team": verified_session(f["care_manager"]), "desk": verified_session(f["desk_user"])}}))
"""


def kill_9(server: Server) -> None:
    assert server.process is not None
    pids = server.worker_pids() | {server.process.pid}
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    server.process.wait(timeout=30)


def test_kill_9_loses_no_answered_save_and_leaves_none_half_written(tmp_path):
    env = production_env(tmp_path)
    for command in (("migrate", "--noinput"), ("collectstatic", "--noinput"), ("load_demo",)):
        result = renkei(*command, "-v0", env=env)
        assert result.returncode == 0, result.stdout + result.stderr
    made = renkei("shell", "-c", FIXTURES, env=env)
    assert made.returncode == 0, made.stderr
    fixtures = json.loads(made.stdout.strip().splitlines()[-1])
    team_steps, desk_steps = professional_steps(fixtures)
    server = Server(env, tmp_path / "server.log").start("--workers", "2", "--threads", "2")
    answered: dict[str, list[str]] = {"post": [], "record": []}
    stop = threading.Event()

    def keep_saving(kind: str, session: str, form: str, step) -> None:
        client = Client(server.port, session)
        client.token = client.csrf(form)
        index = 0
        while not stop.is_set():
            index += 1
            method, path, body, _expected = step(client, index)
            try:
                status, _ = client.request(method, path, body)
            except OSError:
                continue  # cut off by the kill: no answer, no promise
            if status == 302:
                answered[kind].append(body["body"] if kind == "post" else body["summary"])

    savers = [
        threading.Thread(
            target=keep_saving,
            args=("post", fixtures["team"], f"/patients/{fixtures['patient']}/", team_steps[2]),
        ),
        threading.Thread(
            target=keep_saving, args=("record", fixtures["desk"], "/consultations/new/", desk_steps[0])
        ),
    ]
    try:
        for saver in savers:
            saver.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (answered["post"] and answered["record"]):
            time.sleep(0.05)
        time.sleep(0.3)
        kill_9(server)
        stop.set()
        for saver in savers:
            saver.join(timeout=60)
        assert answered["post"] and answered["record"]
        server.start()
        # The sessions survived the crash; the pages read the database as it is now.
        after = Client(server.port, fixtures["team"])
        assert after.request("GET", f"/patients/{fixtures['patient']}/")[0] == 200
    finally:
        stop.set()
        server.stop()

    database = sqlite3.connect(tmp_path / "renkei.sqlite3")
    assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    posts = dict(database.execute("SELECT body, id FROM sharing_post WHERE body LIKE '負荷試験の連絡 %'"))
    assert set(answered["post"]) <= set(posts)
    for post_id in posts.values():
        assert database.execute(
            "SELECT count(*) FROM sharing_postread WHERE post_id = ?", [post_id]
        ).fetchone() == (1,)
        logged = database.execute(
            "SELECT count(*) FROM core_accesslog WHERE action = 'create' AND object_type = 'post' AND object_id = ?",
            [str(post_id)],
        ).fetchone()
        assert logged == (1,)
    records = dict(
        database.execute(
            "SELECT summary, id FROM consultations_consultation WHERE summary LIKE '負荷試験の相談 %'"
        )
    )
    assert set(answered["record"]) <= set(records)
    for record_id in records.values():
        linked = database.execute(
            "SELECT count(*) FROM consultations_consultation_categories WHERE consultation_id = ?",
            [record_id],
        ).fetchone()
        assert linked == (len(fixtures["categories"]),)
