"""The ``renkei`` command: Django's manage.py for this project, installed into the venv.

``renkei migrate``, ``renkei runserver`` and every operator command (``renkei regions …``,
``renkei load-demo``) go through here. A configuration error ends with one Japanese line and exit
status 2 instead of a traceback. After ``make run`` the command uses the demo's development settings
(:mod:`renkei.demo_env`).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    from renkei import demo_env

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
    demo_env.apply()
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        # Operators type ``renkei load-demo``; Django's command modules are ``load_demo``.
        args[0] = args[0].replace("-", "_")
    try:
        execute_from_command_line(["renkei", *args])
    except ImproperlyConfigured as exc:
        print(f"renkei: 設定エラー: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
