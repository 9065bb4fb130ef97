"""Each server worker moves its start-up objects out of the garbage collector's walks (renkei/wsgi.py),
so a full collection during a request does not pause it for Django's whole heap."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = (
    "import gc, sys; import renkei.wsgi; "
    "print(gc.get_freeze_count(), 'renkei.transitions.views' in sys.modules, 'renkei.directory.views' in sys.modules)"
)


def test_loading_the_wsgi_application_imports_every_view_and_freezes_the_heap():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    frozen, transitions_loaded, directory_loaded = result.stdout.split()
    # Django, its libraries and Renkei's modules are well over 100,000 objects; an unfrozen heap is 0.
    assert int(frozen) > 100_000
    assert transitions_loaded == "True" and directory_loaded == "True"
