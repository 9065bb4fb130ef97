"""iCalendar (RFC 5545) files: one per event for the people who may see it, and a feed per
organisation that calendar programs subscribe to without logging in.

The ``icalendar`` library writes the text (line folding, escaping, VTIMEZONE for Asia/Tokyo). A feed
is reached through a signed address (Django's signing, keyed by SECRET_KEY): it names only the
organisation, and lists the events the organisation organises or was invited to — never an online
meeting's URL, which only registered people see (their own .ics and the event page carry it).
"""

from __future__ import annotations

from collections.abc import Iterable

import icalendar
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from renkei.core import permissions
from renkei.core.models import Organization, User
from renkei.meetings.models import Event

PRODID = "-//Renkei//meetings//JA"
_FEED_SALT = "renkei.meetings.feed"
ONLINE = "オンライン"


def _location(event: Event, with_url: bool) -> str:
    parts = [event.place] if event.place else []
    if event.online_url:
        parts.append(f"{ONLINE} {event.online_url}" if with_url else f"{ONLINE}（URLは登録者に案内）")
    return " / ".join(parts)


def _description(event: Event) -> str:
    lines = [event.get_kind_display()]
    if event.theme:
        lines.append(f"テーマ: {event.theme}")
    if event.lecturer:
        lines.append(f"講師: {event.lecturer}")
    if event.target_professions:
        lines.append("対象: " + "、".join(event.target_profession_labels()))
    lines.append(f"主催: {event.organizer.name}")
    if event.description:
        lines.append("")
        lines.append(event.description)
    return "\n".join(lines)


def _component(event: Event, *, with_url: bool, site: str) -> icalendar.Event:
    return icalendar.Event.new(
        uid=f"{event.uid}@renkei",
        summary=event.title,
        start=timezone.localtime(event.starts_at),
        end=timezone.localtime(event.ends_at),
        location=_location(event, with_url),
        description=_description(event),
        sequence=event.sequence,
        stamp=event.updated_at,
        url=site + reverse("meetings:detail", args=[event.pk]),
    )


def _calendar(name: str, events: Iterable[Event], *, with_url, site: str) -> bytes:
    calendar = icalendar.Calendar.new(
        name=name,
        prodid=PRODID,
        subcomponents=[_component(event, with_url=with_url(event), site=site) for event in events],
    )
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_ics(actor: User, event: Event, site: str) -> bytes:
    """The event as a one-event calendar; the online URL only for those who may see it."""
    if not permissions.can_view_event(actor, event):
        raise PermissionDenied
    shows_url = permissions.can_see_online_url(actor, event)
    return _calendar(event.title, [event], with_url=lambda _event: shows_url, site=site)


def feed_token(organization: Organization) -> str:
    return signing.dumps(organization.pk, salt=_FEED_SALT, compress=True)


def organization_of_token(token: str) -> Organization | None:
    try:
        pk = signing.loads(token, salt=_FEED_SALT)
    except signing.BadSignature:
        return None
    return Organization.objects.filter(pk=pk, is_active=True).first() if isinstance(pk, int) else None


def feed_events(organization: Organization):
    return (
        Event.objects.filter(Q(organizer=organization) | Q(invitations__organization=organization))
        .distinct()
        .select_related("organizer")
        .order_by("starts_at", "pk")
    )


def organization_feed(organization: Organization, site: str) -> bytes:
    return _calendar(
        f"{organization.name} 会議・研修",
        feed_events(organization),
        with_url=lambda _event: False,
        site=site,
    )
