from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
application = get_wsgi_application()

from renkei.operations.heap import settle_heap  # noqa: E402 (needs the configured Django above)

settle_heap()
