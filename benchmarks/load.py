"""Load test: N concurrent clients on loopback against a real ``renkei serve`` (issue 18, item 2).

    .venv/bin/python benchmarks/load.py --database sqlite --clients 8 --seconds 20
    scripts/with-postgres.sh .venv/bin/python benchmarks/load.py --database postgres --clients 32 --seconds 20

Builds a benchmark database (a SQLite file in WAL mode, or ``bench_load`` on the PostgreSQL of
DATABASE_URL), loads the demo region (``renkei load-demo``) plus ``--facilities`` offices through the
real importer, collects the static files and starts ``renkei serve`` on a free port in production mode.
Then, one after the other on the same server, each client (a thread with its own keep-alive
connection) runs for ``--seconds``:

- the public mix: search page, facility page, API search, GeoJSON (no login);
- the professional mix: timeline read and post, desk record, statistics — as real users whose sessions
  passed the second factor (a TOTP device; the session is made as a login would make it);
- ``/healthz``: the server's floor.

Prints one JSON line per mix — req/s, p50/p95/p99 (ms), errors — with the targets beside them, and the
public mix's ratio to ``/healthz``. On SQLite it also counts ``database is locked`` in the server log.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, emit, percentile

SEARCH_PAGES = ["q=訪問", "q=デイ", "q=ほうもんかんご", "q=ケアプラン&page=2", "q=ホーム", "q=さくら"]
API_SEARCHES = ["q=訪問", "q=デイサービス", "q=グループホーム", "q=居宅介護支援", "q=みどり 訪問"]
GEOJSON = ["q=訪問", "q=デイ", "q=ホーム"]
TARGETS = {
    "postgresql": {
        "public": {"req_s_floor": 300, "p99_ms_ceiling": 100, "errors": 0, "ratio_floor": 0.3},
        "professional": {"p99_ms_ceiling": 250, "errors": 0},
    },
    "sqlite": {"public": {"errors": 0}, "professional": {"errors": 0}, "database_is_locked": 0},
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(database: str, var_dir: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1",
            "RENKEI_VAR_DIR": str(var_dir),
            "BEHIND_TLS_PROXY": "true",
            "EMAIL_URL": "dummymail://",
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    if database == "postgres":
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            sys.exit(
                "--database postgres: run under scripts/with-postgres.sh (DATABASE_URL is not PostgreSQL)"
            )
        environment["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/bench_load"
    else:
        environment.pop("DATABASE_URL", None)
    return environment


def build_site(environment: dict[str, str], facilities: int, workdir: Path) -> dict:
    """The database, demo region, bulk facilities, static files; returns what the mixes need."""
    os.environ.update(environment)
    os.environ["DJANGO_SETTINGS_MODULE"] = "renkei.settings"
    if environment.get("DATABASE_URL"):
        from _setup import _ensure_postgres_database

        _ensure_postgres_database(environment["DATABASE_URL"])
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    if facilities:
        from directory import build_directory

        build_directory(facilities, workdir)
    call_command("collectstatic", "--noinput", verbosity=0)
    from _setup import analyze

    analyze()
    return professional_fixtures()


def verified_session(user) -> str:
    """A session as the login and code pages leave it: the password backend and a confirmed TOTP device."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Renkei", confirmed=True)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key or ""


def professional_fixtures() -> dict:
    from renkei.consultations import services as consultations
    from renkei.consultations.demo import DESK_USERNAME
    from renkei.core.models import User
    from renkei.directory.models import Facility
    from renkei.sharing.demo import PATIENT
    from renkei.sharing.models import Patient

    desk_user = User.objects.get(username=DESK_USERNAME)
    from renkei.core import permissions

    desk = permissions.consultation_desk_of(desk_user)
    categories = list(consultations.categories_for(consultations.region_of_desk(desk), active_only=True)[:2])
    return {
        "patient": Patient.objects.get(full_name=PATIENT["full_name"]).pk,
        "care_manager": User.objects.get(username="demo-caremanager"),
        "desk_user": desk_user,
        "categories": [category.pk for category in categories],
        "facilities": list(Facility.objects.order_by("?").values_list("pk", flat=True)[:200]),
    }


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    by_step: dict[str, list[float]] = field(default_factory=dict)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


class Client:
    """One keep-alive connection, with the cookies and CSRF token of its session."""

    def __init__(self, port: int, session: str = "") -> None:
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies = {"sessionid": session} if session else {}
        self.token = ""
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        payload = None
        if body is not None:
            payload = urlencode(body, doseq=True).encode()
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin})
        try:
            self.connection.request(method, path, body=payload, headers=headers)
            answer = self.connection.getresponse()
            content = answer.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        for header, value in answer.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        if answer.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return answer.status, content

    def csrf(self, path: str) -> str:
        status, content = self.request("GET", path)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or not found:
            raise RuntimeError(f"no form at {path} ({status})")
        return found.group(1).decode()


Step = Callable[[Client, int], tuple[str, str, dict | None, int]]


def public_steps(fixtures: dict) -> list[Step]:
    facilities = fixtures["facilities"]
    return [
        lambda c, i: ("GET", "/facilities/?" + quote_query(SEARCH_PAGES[i % len(SEARCH_PAGES)]), None, 200),
        lambda c, i: ("GET", f"/facilities/{facilities[i % len(facilities)]}/", None, 200),
        lambda c, i: (
            "GET",
            "/api/v1/facilities?" + quote_query(API_SEARCHES[i % len(API_SEARCHES)]),
            None,
            200,
        ),
        lambda c, i: (
            "GET",
            "/api/v1/facilities.geojson?" + quote_query(GEOJSON[i % len(GEOJSON)]),
            None,
            200,
        ),
    ]


def professional_steps(fixtures: dict) -> tuple[list[Step], list[Step]]:
    patient, categories = fixtures["patient"], fixtures["categories"]

    def post(client: Client, index: int):
        body = {"csrfmiddlewaretoken": client.token, "category": "contact"}
        body["body"] = f"負荷試験の連絡 {index}"
        return "POST", f"/patients/{patient}/posts/", body, 302

    def record(client: Client, index: int):
        from django.utils import timezone

        body = {
            "csrfmiddlewaretoken": client.token,
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone",
            "requester_type": "family",
            "categories": categories,
            "subject_age_band": "75_84",
            "subject_sex": "female",
            "summary": f"負荷試験の相談 {index}",
            "response": "information",
            "minutes_spent": "10",
            "status": "closed",
        }
        return "POST", "/consultations/new/", body, 302

    def read(client: Client, index: int):
        return "GET", f"/patients/{patient}/", None, 200

    def statistics(client: Client, index: int):
        return "GET", "/consultations/statistics/", None, 200

    return [read, read, post], [record, statistics]


def health_steps() -> list[Step]:
    return [lambda c, i: ("GET", "/healthz", None, 200)]


def quote_query(query: str) -> str:
    from urllib.parse import parse_qsl

    return urlencode(parse_qsl(query))


def run_mix(clients: list[Client], plan: list[list[Step]], seconds: float) -> tuple[Tally, float]:
    """Each client runs its own steps in turn for ``seconds``, on its own thread."""
    tallies = [Tally() for _ in clients]
    stop = threading.Event()

    def work(number: int) -> None:
        client, tally, steps, index = clients[number], tallies[number], plan[number], number
        while not stop.is_set():
            method, path, body, expected = steps[index % len(steps)](client, index)
            started = time.perf_counter()
            try:
                status, _content = client.request(method, path, body)
            except (OSError, http.client.HTTPException) as error:
                tally.error(type(error).__name__)
            else:
                took = time.perf_counter() - started
                tally.latencies.append(took)
                tally.by_step.setdefault(step_name(method, path), []).append(took)
                if status != expected:
                    tally.error(f"{method} {path.split('?')[0]} {status}")
            index += 1

    threads = [threading.Thread(target=work, args=(number,)) for number in range(len(clients))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = Tally()
    for tally in tallies:
        total.latencies.extend(tally.latencies)
        for what, count in tally.errors.items():
            total.errors[what] = total.errors.get(what, 0) + count
        for step, took in tally.by_step.items():
            total.by_step.setdefault(step, []).extend(took)
    return total, elapsed


def step_name(method: str, path: str) -> str:
    """The step a request belongs to: its method and path, ids and query left out."""
    return f"{method} " + re.sub(r"/\d+/", "/{id}/", path.split("?")[0])


def figures(tally: Tally, elapsed: float) -> dict:
    samples = tally.latencies or [0.0]
    return {
        "requests": len(tally.latencies),
        "req_s": round(len(tally.latencies) / elapsed, 1),
        "p50_ms": round(percentile(samples, 0.50) * 1000, 1),
        "p95_ms": round(percentile(samples, 0.95) * 1000, 1),
        "p99_ms": round(percentile(samples, 0.99) * 1000, 1),
        "errors": sum(tally.errors.values()),
        "error_kinds": tally.errors,
        "steps": {
            step: {
                "requests": len(took),
                "p50_ms": round(percentile(took, 0.50) * 1000, 1),
                "p99_ms": round(percentile(took, 0.99) * 1000, 1),
            }
            for step, took in sorted(tally.by_step.items())
        },
    }


def start_server(environment: dict[str, str], port: int, log: Path, workers: int, threads: int):
    command = [sys.executable, "-m", "renkei", "serve", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--threads", str(threads)]
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        command, env=environment, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"renkei serve ended:\n{log.read_text(errors='replace')}")
        try:
            if Client(port).request("GET", "/healthz")[0] == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit("renkei serve did not answer in 90 s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--facilities", type=int, default=5000, help="offices imported beside the demo region"
    )
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: renkei serve's)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--mixes",
        default="public,professional,healthz",
        help="which mixes to run, comma-separated (the ratios need healthz)",
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="renkei-bench-load-"))
    environment = server_env(args.database, workdir)
    fixtures = build_site(environment, args.facilities, workdir)
    from renkei.operations.management.commands.serve import default_workers

    workers = args.workers or default_workers()
    port, log = free_port(), workdir / "server.log"
    process = start_server(environment, port, log, workers, args.threads)
    try:
        results = measure(args, fixtures, port)
    finally:
        process.terminate()
        process.wait(timeout=60)
    vendor = "postgresql" if args.database == "postgres" else "sqlite"
    common = {"benchmark": "load", "database": vendor, "clients": args.clients, "seconds": args.seconds}
    common.update(workers=workers, threads=args.threads, facilities=args.facilities)
    for mix, result in results.items():
        emit(**common, mix=mix, **result, targets=TARGETS[vendor].get(mix, {}))
    locked = log.read_text(errors="replace").count("database is locked")
    ratios = {
        f"ratio_{mix}_to_healthz": round(results[mix]["req_s"] / max(results["healthz"]["req_s"], 0.1), 3)
        for mix in ("public", "professional")
        if mix in results and "healthz" in results
    }
    emit(**common, **ratios, database_is_locked=locked, targets=TARGETS[vendor])


def measure(args, fixtures: dict, port: int) -> dict[str, dict]:
    """The three mixes one after the other on the same server, each after a short warm-up."""
    public = [Client(port) for _ in range(args.clients)]
    team_steps, desk_steps = professional_steps(fixtures)
    professionals, professional_plan = [], []
    for number in range(args.clients):
        # Half the clients are the patient's care manager (timeline), half the desk's counsellor.
        on_desk = number % 2 == 1
        client = Client(port, verified_session(fixtures["desk_user" if on_desk else "care_manager"]))
        client.token = client.csrf("/consultations/new/" if on_desk else f"/patients/{fixtures['patient']}/")
        professionals.append(client)
        professional_plan.append(desk_steps if on_desk else team_steps)
    plans = {
        "public": (public, [public_steps(fixtures)] * args.clients),
        "professional": (professionals, professional_plan),
        "healthz": (public, [health_steps()] * args.clients),
    }
    results = {}
    for name, (clients, plan) in plans.items():
        if name not in args.mixes.split(","):
            continue
        for client in clients:  # the server drops connections left idle during the previous mix
            client.connection.close()
        run_mix(clients, plan, min(5.0, args.seconds))
        results[name] = figures(*run_mix(clients, plan, args.seconds))
    return results


if __name__ == "__main__":
    main()
