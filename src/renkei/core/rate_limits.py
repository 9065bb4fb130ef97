"""Counting requests per key (a client address, a link) in a fixed window, in Django's cache.

One counter per key, created with the window as its lifetime: the first hit starts the window, the
count resets when it expires. With a cache shared by the workers (the database or Redis cache in
production) every worker counts together; the local-memory cache counts per process, which still
slows one client down."""

from __future__ import annotations

from django.core.cache import cache


def hit(key: str, window_seconds: int) -> int:
    """Count one use of ``key``; the number of uses within its current window, this one included."""
    cache.add(key, 0, window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        return 1
