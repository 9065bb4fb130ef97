"""Meetings, trainings, their evaluations and the 課題 → 対応策 board.

Municipality staff manage their municipality's events and issues; a region administrator the
region's (every municipality's and the region-wide ones). Other members of the region see the
events their organisation was invited to; people registered for an event (and its managers) see
its online URL; registered people and attendees see its materials. Evaluation answers are read per
person by the event's managers only; everyone who may see the event sees them in aggregate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from renkei.core.models import Municipality, Region, User
from renkei.core.permissions.roles import (
    _active,
    home_municipality,
    home_region,
    is_municipality_staff,
    is_region_admin,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from renkei.meetings.models import Event, Issue, Survey

    AnyUser = User | AnonymousUser


def _manages_scope(user: AnyUser | None, region_id: int, municipality_id: int | None) -> bool:
    own_region = home_region(user)
    if own_region is None or own_region.pk != region_id:
        return False
    if is_region_admin(user):
        return True
    own = home_municipality(user)
    return is_municipality_staff(user) and own is not None and own.pk == municipality_id


def can_plan_events(user: AnyUser | None) -> bool:
    """Creating events and issues: region administrators and municipality staff."""
    return home_region(user) is not None and (is_region_admin(user) or is_municipality_staff(user))


def event_municipalities(user: AnyUser | None) -> QuerySet[Municipality]:
    """The municipalities ``user`` may organise events (and raise issues) for."""
    if is_region_admin(user):
        return Municipality.objects.filter(region=home_region(user))
    own = home_municipality(user)
    if is_municipality_staff(user) and own is not None and own.region_id is not None:
        return Municipality.objects.filter(pk=own.pk)
    return Municipality.objects.none()


def may_organise_region_wide(user: AnyUser | None) -> bool:
    return is_region_admin(user)


def can_organise_for(user: AnyUser | None, municipality: Municipality | None) -> bool:
    """Creating an event, a survey or an issue for ``municipality`` (``None``: the whole region)."""
    if not can_plan_events(user):
        return False
    if municipality is None:
        return may_organise_region_wide(user)
    return event_municipalities(user).filter(pk=municipality.pk).exists()


def can_manage_event(user: AnyUser | None, event: Event) -> bool:
    return _manages_scope(user, event.region_id, event.municipality_id)


def managed_events_filter(user: AnyUser | None) -> Q:
    """The events ``user`` manages, as a filter (``Q(pk__in=[])`` when none)."""
    region = home_region(user)
    if region is None:
        return Q(pk__in=[])
    if is_region_admin(user):
        return Q(region=region)
    own = home_municipality(user)
    if is_municipality_staff(user) and own is not None:
        return Q(region=region, municipality=own)
    return Q(pk__in=[])


def visible_events(user: AnyUser | None) -> QuerySet[Event]:
    """Events ``user`` may see: those they manage, those their organisation was invited to, those
    they registered for or attended. Municipality staff also see the region's other events, to plan."""
    from renkei.meetings.models import Event

    region = home_region(user)
    if not _active(user) or region is None:
        return Event.objects.none()
    if is_region_admin(user) or is_municipality_staff(user):
        return Event.objects.filter(region=region)
    return Event.objects.filter(
        Q(invitations__organization_id=user.organization_id)
        | Q(registrations__user=user)
        | Q(attendances__user=user),
        region=region,
    ).distinct()


def can_view_event(user: AnyUser | None, event: Event) -> bool:
    return visible_events(user).filter(pk=event.pk).exists()


def is_registered(user: AnyUser | None, event: Event) -> bool:
    return _active(user) and event.registrations.filter(user=user).exists()


def has_attended(user: AnyUser | None, event: Event) -> bool:
    return _active(user) and event.attendances.filter(user=user).exists()


def can_register(user: AnyUser | None, event: Event) -> bool:
    """Online registration: a professional whose organisation was invited (event not on paper)."""
    return (
        _active(user)
        and user.organization_id is not None
        and not event.on_paper
        and event.invitations.filter(organization_id=user.organization_id).exists()
    )


def can_see_online_url(user: AnyUser | None, event: Event) -> bool:
    return can_manage_event(user, event) or is_registered(user, event)


def can_view_materials(user: AnyUser | None, event: Event) -> bool:
    return can_manage_event(user, event) or is_registered(user, event) or has_attended(user, event)


def can_evaluate(user: AnyUser | None, event: Event) -> bool:
    """Answering the evaluation: a named attendee of a training."""
    return event.is_training and has_attended(user, event)


def can_read_evaluation_answers(user: AnyUser | None, event: Event) -> bool:
    """Answers one by one (free text included): the organiser's managers only."""
    return can_manage_event(user, event)


def can_view_evaluation_summary(user: AnyUser | None, event: Event) -> bool:
    return can_view_event(user, event)


def can_use_meetings(user: AnyUser | None) -> bool:
    return _active(user) and home_region(user) is not None


# --- issues and countermeasures ---


def can_manage_issue(user: AnyUser | None, issue: Issue) -> bool:
    return _manages_scope(user, issue.region_id, issue.municipality_id)


def can_view_issues(user: AnyUser | None, region: Region | None = None) -> bool:
    """The PDCA board: region administrators and municipality staff (of every municipality of the
    region, so that one sees how another handled the same 課題)."""
    own = home_region(user)
    return (
        own is not None
        and (region is None or own.pk == region.pk)
        and (is_region_admin(user) or is_municipality_staff(user))
    )


def summary_municipalities(user: AnyUser | None) -> QuerySet[Municipality]:
    """Municipalities whose yearly summary ``user`` may read (the region's whole summary: admins)."""
    return event_municipalities(user)


def can_view_region_summary(user: AnyUser | None) -> bool:
    return is_region_admin(user)


# --- questionnaires to organisations ---
# The survey's managers (its municipality's staff, the region administrator) build it and read the
# answers one by one (free text without names unless the respondent agreed); other municipality staff
# of the region see the counts only; recipients answer. Nobody else sees a survey's results.


def can_manage_survey(user: AnyUser | None, survey: Survey) -> bool:
    return _manages_scope(user, survey.region_id, survey.municipality_id)


def managed_surveys_filter(user: AnyUser | None) -> Q:
    """The surveys ``user`` manages, as a filter (the same scope as :func:`managed_events_filter`)."""
    return managed_events_filter(user)


def can_view_survey_results(user: AnyUser | None, survey: Survey) -> bool:
    """The counts: the managers and the region's planners (to compare municipalities)."""
    own = home_region(user)
    return can_manage_survey(user, survey) or (
        own is not None and own.pk == survey.region_id and can_plan_events(user)
    )


def can_read_survey_answers(user: AnyUser | None, survey: Survey) -> bool:
    """Answers one by one (the free text, the per-person rows of the export): the managers only."""
    return can_manage_survey(user, survey)


def is_survey_recipient(user: AnyUser | None, survey: Survey) -> bool:
    return _active(user) and survey.recipients.filter(user=user).exists()
