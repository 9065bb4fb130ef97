from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from renkei.core import navigation
from renkei.core.services import default_region


def site(request: HttpRequest) -> dict:
    return {
        "site_region": default_region(),
        "nav_items": navigation.items_for(request.user),
        "tile_url": settings.TILE_URL,
        "tile_attribution": settings.TILE_ATTRIBUTION,
    }
