"""Settings for the test suite: the real settings, read from a development-like environment.

Production-only behaviour (HTTPS redirect, secure cookies) is tested separately by running
``renkei check --deploy`` with production variables in a subprocess.
"""

import os
from pathlib import Path

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault(
    "RENKEI_VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / f"test-{os.getpid()}")
)

from renkei.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 (WhiteNoise warns when it is missing)
