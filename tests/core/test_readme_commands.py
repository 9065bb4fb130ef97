"""The README's commands work as written, in the order a newcomer types them after ``make run``.

Every command line of the README's fenced code blocks is either run here — in a fresh ``var/``
directory, with no ``DEBUG`` or ``SECRET_KEY`` in the environment, after ``make demo-env`` (the step
of ``make run`` that leaves the demo's settings for the ``renkei`` command) — or listed in ``SKIPPED``
with the reason it cannot run in a test.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from renkei import demo_env

ROOT = Path(__file__).resolve().parent.parent.parent
VENV_BIN = Path(sys.executable).parent

SKIPPED = {
    "make run": "serves until Ctrl+C; its steps are `make demo-env` (run below), migrate and load-demo",
    "make test": "is the suite this test belongs to",
    ".venv/bin/renkei createsuperuser": "asks for a name and password at the terminal",
    ".venv/bin/renkei two-factor status carol": "names a person of the reader's own region, not of the demo",
    ".venv/bin/renkei two-factor reset carol": "names a person of the reader's own region, not of the demo",
    ".venv/bin/renkei consultations import 12 old-tally.csv [--valid-rows-only]": "needs the reader's file",
}
# Commands reading files the reader brings (official open data, their own spreadsheets), and the
# benchmarks (minutes at full size; run by hand as the README says).
SKIPPED_PREFIXES = {
    ".venv/bin/renkei import-facilities ": "reads the official open-data files the reader downloads",
    ".venv/bin/python benchmarks/": "a benchmark at full size takes minutes",
    "scripts/with-postgres.sh ": "a benchmark at full size takes minutes",
}


def readme_command_lines() -> list[str]:
    """Each command line of the README's fenced code blocks, without its trailing comment."""
    lines, inside = [], False
    for raw in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if raw.strip().startswith("```"):
            inside = not inside
            continue
        command = re.sub(r"\s+#\s.*$", "", raw).strip()
        if inside and command:
            lines.append(command)
    return lines


def _skip_reason(line: str) -> str | None:
    if line in SKIPPED:
        return SKIPPED[line]
    return next((why for prefix, why in SKIPPED_PREFIXES.items() if line.startswith(prefix)), None)


def test_every_readme_command_is_run_or_skipped_for_a_reason():
    lines = readme_command_lines()
    assert ".venv/bin/renkei regions list" in lines
    runnable = [line for line in lines if _skip_reason(line) is None]
    assert all(line.startswith(".venv/bin/renkei ") for line in runnable), runnable
    stale = set(SKIPPED) - set(lines)
    assert stale == set(), "README no longer has these lines; drop them from SKIPPED"


def test_readme_commands_run_as_written_after_make_run(tmp_path):
    var = tmp_path / "var"
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
        and not key.startswith(("DJANGO_", "PYTEST_"))
    }
    environment["RENKEI_VAR_DIR"] = str(var)
    made = subprocess.run(
        [shutil.which("make") or "/usr/bin/make", "-s", "-C", str(ROOT), "demo-env", f"RENKEI_VAR_DIR={var}"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert (var / demo_env.FILE_NAME).is_file()

    work = tmp_path / "work"
    work.mkdir()
    for line in readme_command_lines():
        if _skip_reason(line) is not None:
            continue
        program, *args = shlex.split(line)
        result = subprocess.run(
            [str(VENV_BIN / Path(program).name), *args],
            cwd=work,
            capture_output=True,
            text=True,
            env=environment,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, f"{line}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        if line.endswith("regions list"):
            assert "八戸地域保健医療圏域" in result.stdout
