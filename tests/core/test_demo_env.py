"""``var/renkei.env`` (written by ``make run``) gives the ``renkei`` command the demo's settings,
and never reaches a server configured by its environment."""

from __future__ import annotations

import os
import subprocess
import sys

from renkei import demo_env


def _write(tmp_path, text: str) -> None:
    (tmp_path / demo_env.FILE_NAME).write_text(text, encoding="utf-8")


def test_the_file_turns_debug_on_for_the_command(tmp_path):
    _write(tmp_path, "# comment\nDEBUG=1\nSECRET_KEY=from-file\nALLOWED_HOSTS=*\n")
    environ = {"RENKEI_VAR_DIR": str(tmp_path)}
    assert demo_env.apply(environ) == tmp_path / demo_env.FILE_NAME
    # Only what make run itself sets: never a key, hosts or a database.
    assert environ == {"RENKEI_VAR_DIR": str(tmp_path), "DEBUG": "1"}


def test_an_environment_with_its_own_settings_ignores_the_file(tmp_path):
    _write(tmp_path, "DEBUG=1\n")
    for own in ({"DEBUG": "false"}, {"SECRET_KEY": "x" * 50}):
        environ = {"RENKEI_VAR_DIR": str(tmp_path), **own}
        assert demo_env.apply(environ) is None
        assert environ == {"RENKEI_VAR_DIR": str(tmp_path), **own}


def test_a_file_that_does_not_turn_debug_on_is_ignored(tmp_path):
    _write(tmp_path, "DEBUG=0\n")
    environ = {"RENKEI_VAR_DIR": str(tmp_path)}
    assert demo_env.apply(environ) is None
    assert environ == {"RENKEI_VAR_DIR": str(tmp_path)}
    assert demo_env.apply({"RENKEI_VAR_DIR": str(tmp_path / "missing")}) is None


def test_the_wsgi_application_never_reads_the_file(tmp_path):
    _write(tmp_path, "DEBUG=1\n")
    environment = {
        key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    environment.update(RENKEI_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="renkei.settings")
    result = subprocess.run(
        [sys.executable, "-c", "import renkei.wsgi"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY が設定されていません" in result.stderr


def test_the_file_gives_the_command_the_address_make_run_serves(tmp_path):
    _write(tmp_path, "DEBUG=1\nSITE_URL=http://192.0.2.10:8080\n")
    environ = {"RENKEI_VAR_DIR": str(tmp_path)}
    demo_env.apply(environ)
    assert environ["SITE_URL"] == "http://192.0.2.10:8080"

    environ = {"RENKEI_VAR_DIR": str(tmp_path), "SITE_URL": "https://renkei.example.jp"}
    demo_env.apply(environ)
    assert environ["SITE_URL"] == "https://renkei.example.jp"


def _make(*args: str) -> str:
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    environment = {key: value for key, value in os.environ.items() if key not in {"SITE_URL", "HOST"}}
    result = subprocess.run(
        [shutil.which("make") or "/usr/bin/make", "-s", "-C", str(root), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_make_run_sets_site_url_to_the_address_it_serves(tmp_path):
    # What `make run` would do, printed, not run (-n): every step serves links of its own address.
    plan = _make("-n", "run", "HOST=192.0.2.10:8080")
    serving = [line for line in plan.splitlines() if "runserver" in line or "load-demo" in line]
    assert serving and all("SITE_URL=http://192.0.2.10:8080" in line for line in serving)

    _make("demo-env", f"RENKEI_VAR_DIR={tmp_path}", "HOST=192.0.2.10:8080")
    assert "SITE_URL=http://192.0.2.10:8080" in (tmp_path / demo_env.FILE_NAME).read_text(encoding="utf-8")
