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

# A second database standing in for a read replica (renkei.core.replica). Only the tests that ask for
# it (``databases=["default", "replica"]``) create it; the router sends reads there only while a test
# sets RENKEI_READ_REPLICA, so every other test reads the primary as production without a replica does.
DATABASES["replica"] = {  # noqa: F405
    **DATABASES["default"],  # noqa: F405
    "TEST": {"NAME": f"test_{DATABASES['default']['NAME']}_replica"}  # noqa: F405
    if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"  # noqa: F405
    else {},
}
RENKEI_READ_REPLICA = None
DATABASE_ROUTERS = ["renkei.core.replica.PublicReadsToReplica"]
