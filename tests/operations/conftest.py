from __future__ import annotations

import pytest

from tests.operations.server import production_env, renkei


@pytest.fixture(scope="session")
def production_site(tmp_path_factory):
    """A production-mode var/ directory: its SQLite database migrated and the static files collected
    (compressed, hashed names), shared by the tests that start servers on it."""
    var_dir = tmp_path_factory.mktemp("production-var")
    env = production_env(var_dir)
    for command in (("migrate", "--noinput"), ("collectstatic", "--noinput")):
        result = renkei(*command, "-v0", env=env)
        assert result.returncode == 0, result.stdout + result.stderr
    return var_dir
