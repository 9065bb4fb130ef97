"""The meetings app's side of ``core.public_events``: events open to residents for the portal, and
the 出前講座 events booked from residents' requests."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from renkei.core.models import Municipality, Region, User
from renkei.core.public_events import LectureBooking, PublicEvent
from renkei.meetings.models import RESIDENT_KINDS, Event, EventKind
from renkei.meetings.services import events


class MeetingsCalendar:
    def upcoming_public(
        self, region: Region, municipality: Municipality | None, *, limit: int
    ) -> list[PublicEvent]:
        qs = Event.objects.filter(
            region=region, open_to_public=True, kind__in=RESIDENT_KINDS, ends_at__gte=timezone.now()
        )
        if municipality is not None:
            qs = qs.filter(Q(municipality=municipality) | Q(municipality=None))
        labels = dict(EventKind.choices)
        return [
            _public(event, labels)
            for event in qs.select_related("municipality").order_by("starts_at", "pk")[:limit]
        ]

    def book_outreach_lecture(self, actor: User, booking: LectureBooking) -> int:
        event = events.create_event(
            actor, booking.municipality, kind=EventKind.OUTREACH_LECTURE, title=booking.title,
            theme=booking.theme, starts_at=booking.starts_at, ends_at=booking.ends_at, place=booking.place,
            description=booking.description, on_paper=True, open_to_public=False,
        )  # fmt: skip
        return event.pk

    def staff_url(self, event_id: int) -> str:
        return reverse("meetings:detail", args=[event_id])


def _public(event: Event, labels: dict[str, str]) -> PublicEvent:
    return PublicEvent(
        id=event.pk, kind=labels[event.kind], title=event.title, theme=event.theme,
        starts_at=event.starts_at, ends_at=event.ends_at, place=event.place, description=event.description,
        municipality_name=event.municipality.name if event.municipality else "",
    )  # fmt: skip
