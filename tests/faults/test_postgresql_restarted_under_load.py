"""PostgreSQL restarted while clients keep asking: pages answer a Japanese 503 and the API its JSON
error while the database is away, and Renkei serves again once it is back — without a restart."""

from __future__ import annotations

import json
import threading
import time

import pytest

from tests.faults.postgres import Cluster
from tests.operations.server import Server, production_env, renkei

PAGE, API = "/facilities/?q=%E8%A8%AA%E5%95%8F", "/api/v1/facilities?q=%E8%A8%AA%E5%95%8F"


@pytest.fixture
def cluster():
    try:
        running = Cluster()
    except FileNotFoundError:
        pytest.skip("PostgreSQL is not installed")
    running.start()
    yield running
    running.remove()


def test_requests_fail_with_a_clear_503_while_postgresql_is_down_and_recover(cluster, tmp_path):
    env = production_env(tmp_path, DATABASE_URL=cluster.url)
    for command in (("migrate", "--noinput"), ("collectstatic", "--noinput")):
        result = renkei(*command, "-v0", env=env)
        assert result.returncode == 0, result.stdout + result.stderr
    server = Server(env, tmp_path / "server.log").start("--workers", "2", "--threads", "2")
    statuses: list[int] = []
    failures: list[object] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            try:
                statuses.append(server.get(PAGE, timeout=20).status)
            except OSError as error:
                failures.append(error)

    clients = [threading.Thread(target=keep_asking) for _ in range(2)]
    try:
        assert server.get(PAGE).status == 200
        for client in clients:
            client.start()
        time.sleep(1)
        cluster.stop()
        time.sleep(1)
        page, api = server.get(PAGE), server.get(API)
        assert page.status == 503
        assert "一時的に利用できません" in page.body.decode()
        assert "データベースに接続できないため" in page.body.decode()
        assert page.headers["Retry-After"] == "30"
        assert api.status == 503
        assert json.loads(api.body)["error"]["code"] == "database_unavailable"
        assert server.get("/readyz").status == 503
        assert server.get("/healthz").status == 200

        cluster.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and server.get(PAGE).status != 200:
            time.sleep(0.2)
        # Every worker's connection is back: a run of requests all answer.
        assert [server.get(PAGE).status for _ in range(8)] == [200] * 8
        assert server.get(API).status == 200
        assert server.get("/readyz").status == 200
    finally:
        stop.set()
        for client in clients:
            if client.is_alive():
                client.join()
        server.stop()
    assert failures == []  # no connection was dropped: every request got an answer
    assert set(statuses) <= {200, 503} and 503 in statuses and 200 in statuses
