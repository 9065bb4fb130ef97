"""Events open to residents, between the app that holds events (meetings) and the one that shows them
to residents and books 出前講座 (outreach), which may not import each other (docs/architecture.md).

The events app registers one :class:`Calendar` from its ``AppConfig.ready``; :func:`calendar` answers
it while that app is installed, else None — the portal then shows no events and an accepted 出前講座
request is only marked accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from django.apps import apps

if TYPE_CHECKING:
    from renkei.core.models import Municipality, Region, User


@dataclass(frozen=True)
class PublicEvent:
    """What residents may read of an event: never its online URL, attendees or minutes."""

    id: int
    kind: str  # the kind's label (住民向け講演会, 出前講座)
    title: str
    theme: str
    starts_at: datetime
    ends_at: datetime
    place: str
    description: str
    municipality_name: str  # "" for an event of the whole region


@dataclass(frozen=True)
class LectureBooking:
    """A 出前講座 to put in the calendar (an accepted request from a residents' group)."""

    municipality: Municipality
    title: str
    theme: str
    starts_at: datetime
    ends_at: datetime
    place: str
    description: str


class Calendar(Protocol):
    def upcoming_public(
        self, region: Region, municipality: Municipality | None, *, limit: int
    ) -> list[PublicEvent]:
        """Events open to residents that have not ended, soonest first: the region's events for
        ``municipality`` None, else that municipality's and the region-wide ones."""
        ...

    def book_outreach_lecture(self, actor: User, booking: LectureBooking) -> int:
        """Create the 出前講座 event as ``actor`` (who must be allowed to plan it); its id."""
        ...

    def staff_url(self, event_id: int) -> str:
        """Where staff open the event."""
        ...


_REGISTERED: list[tuple[str, Calendar]] = []


def register(app_name: str, provider: Calendar) -> None:
    """Called once by the events app (``app_name`` its dotted name, e.g. ``renkei.meetings``)."""
    _REGISTERED[:] = [(name, existing) for name, existing in _REGISTERED if name != app_name]
    _REGISTERED.append((app_name, provider))


def calendar() -> Calendar | None:
    for app_name, provider in _REGISTERED:
        if apps.is_installed(app_name):
            return provider
    return None
