"""``renkei serve`` as production runs it: gunicorn, health checks, compressed hashed static files, an
access log without tokens or personal data, and a graceful reload on HUP — driven over loopback."""

from __future__ import annotations

import json
import re
import signal
import threading
import time
from urllib.parse import quote

import pytest

from tests.operations.server import Server, production_env

RESET_TOKEN = "cbx9q1-0f5e8d7c6b5a4f3e2d1c0b9a8f7e6d5c"
UPDATE_TOKEN = "Zq8Xv3nT0pLm5Rk2Wj7Hs9Fd4Ga1Yb6C"
PERSON = "山田太郎"


@pytest.fixture(scope="module")
def server(production_site, tmp_path_factory):
    log = tmp_path_factory.mktemp("serve") / "server.log"
    running = Server(production_env(production_site), log).start("--workers", "2", "--threads", "2")
    yield running
    running.stop()


def test_healthz_and_readyz_answer_ok_on_a_migrated_database(server):
    for path in ("/healthz", "/readyz"):
        answer = server.get(path)
        assert answer.status == 200
        assert json.loads(answer.body) == {"status": "ok"}
        assert answer.headers["Cache-Control"] == "no-store"


def test_health_checks_skip_the_host_check_and_https_redirect(server):
    # A load balancer probes by address over plain HTTP.
    answer = server.get("/healthz", headers={"Host": "10.0.0.7:8000", "X-Forwarded-Proto": "http"})
    assert answer.status == 200


def test_static_files_have_hashed_names_and_are_served_compressed_for_ever(server):
    home = server.get("/")
    assert home.status == 200
    stylesheet = re.search(rb'href="(/static/renkei/renkei\.[0-9a-f]{12}\.css)"', home.body)
    assert stylesheet, home.body[:2000]
    answer = server.get(stylesheet.group(1).decode(), headers={"Accept-Encoding": "gzip"})
    assert answer.status == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert answer.headers["Cache-Control"] == "max-age=315360000, public, immutable"


def test_the_access_log_holds_routes_not_tokens_queries_or_names(server):
    requests = [
        f"/accounts/password-reset/MTI/{RESET_TOKEN}/",
        f"/facilities/update/{UPDATE_TOKEN}/?email=yamada%40example.jp",
        f"/facilities/?q={quote(PERSON)}",
        "/patients/4711/",
        f"/no-such-page/{UPDATE_TOKEN}/",
    ]
    for path in requests:
        server.get(path, headers={"Referer": f"https://renkei.example.jp/?token={UPDATE_TOKEN}"})
    time.sleep(0.5)
    log = server.log()
    for secret in (RESET_TOKEN, UPDATE_TOKEN, "yamada", "example.jp", quote(PERSON), PERSON, "4711", "MTI"):
        assert secret not in log
    assert "GET /accounts/password-reset/<uidb64>/<token>/ " in log
    assert "GET /facilities/update/<str:token>/ 403 " in log
    assert "GET /facilities/ 200 " in log
    assert "GET /patients/<int:pk>/ 302 " in log
    assert "GET /no-such-page/<?>/ 404 " in log
    # Django's own warning for the 404 shows the path the same way.
    assert "Not Found: /no-such-page/<?>/" in log


def test_an_unparsable_request_line_is_logged_without_its_path(server):
    import socket

    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw:
        raw.sendall(f"GET /facilities/update/{UPDATE_TOKEN}/?q={PERSON} HTTP/1.1\r\n\r\n".encode())
        raw.recv(1024)
    time.sleep(0.5)
    log = server.log()
    assert "Invalid request" in log
    assert UPDATE_TOKEN not in log and PERSON not in log


def test_hup_replaces_every_worker_without_refusing_a_request(server):
    before = server.worker_pids()
    assert len(before) == 2
    failures: list[object] = []
    statuses: list[int] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            try:
                statuses.append(server.get("/healthz", timeout=10).status)
            except OSError as error:
                failures.append(error)

    clients = [threading.Thread(target=keep_asking) for _ in range(2)]
    for client in clients:
        client.start()
    server.signal(signal.SIGHUP)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (server.worker_pids() & before or len(server.worker_pids()) < 2):
        time.sleep(0.2)
    time.sleep(0.5)
    stop.set()
    for client in clients:
        client.join()
    after = server.worker_pids()
    assert len(after) == 2 and not after & before
    assert failures == []
    assert statuses and set(statuses) == {200}
