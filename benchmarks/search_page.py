"""Where the public search page's CPU goes (issue 18: the search ≈5 ms, the page ≈18 ms).

    .venv/bin/python benchmarks/search_page.py [--requests 200]
    scripts/with-postgres.sh .venv/bin/python benchmarks/search_page.py

The demo region (``renkei load-demo``), production settings (DEBUG off, hashed static files), the page
``/facilities/?q=訪問`` through Django's test client. Prints CPU ms per request — the best of 5 rounds,
since the figures are taken on a shared machine — for the whole page, the search service alone, and the
page's parts, plus the Python function calls per request (cProfile; exact, so comparable between runs
even on a busy machine) and the SQL queries per request. Floor: the page ≤ 2 × the search.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(60))
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
from _setup import emit, setup_django

URL = "/facilities/?q=%E8%A8%AA%E5%95%8F"


def cpu_ms(function, requests: int) -> float:
    function()
    best = float("inf")
    for _round in range(5):
        start = time.process_time()
        for _ in range(requests):
            function()
        best = min(best, (time.process_time() - start) / requests)
    return round(best * 1000, 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100, help="requests per round")
    args = parser.parse_args()
    vendor = setup_django("search_page")
    from django.core.management import call_command
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client

    from renkei.directory import services

    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    call_command("collectstatic", "--noinput", verbosity=0)
    client = Client()
    assert client.get(URL).status_code == 200
    query = services.parse_query(QueryDict("q=訪問"))

    def page() -> None:
        client.get(URL)

    def search() -> None:
        list(services.search_facilities(query).facilities)

    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        page()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(10):
        page()
    profile.disable()
    page_ms, search_ms = cpu_ms(page, args.requests), cpu_ms(search, args.requests)
    emit(
        benchmark="search_page",
        database=vendor,
        page_cpu_ms=page_ms,
        search_cpu_ms=search_ms,
        ratio=round(page_ms / search_ms, 2),
        ratio_floor=2.0,
        function_calls_per_request=pstats.Stats(profile).total_calls // 10,  # type: ignore[attr-defined]
        queries_per_request=len(executed),
        note="CPU ms: best of 5 rounds on a shared machine",
    )


if __name__ == "__main__":
    main()
