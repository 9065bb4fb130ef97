"""入退院 coordination: who may see and change an admission episode and its documents.

An episode belongs to the patient's record: whoever sees the record as a care-team member (the
care-team sharing rules in :mod:`renkei.core.permissions.sharing`, called here, never restated) sees
and changes its episodes; a break-the-glass reader only reads them. Beside them, the hospital's
地域連携室 staff whom the episode names see that episode and what was sent to it — not the
patient's timeline. Region administrators set the region's rule and never read episodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeGuard

from django.db.models import Q, QuerySet

from renkei.core.models import Organization, Region, User
from renkei.core.permissions.roles import (
    home_municipality,
    home_region,
    is_municipality_staff,
    is_region_admin,
)
from renkei.core.permissions.sharing import (
    can_have_patients,
    memberships_with_visibility,
    patient_access,
)

if TYPE_CHECKING:
    from renkei.core.permissions.sharing import AnyUser
    from renkei.sharing.models import Patient
    from renkei.transitions.models import DocumentLink, Episode, TransitionDocument


def _transitions() -> Any:
    from renkei.transitions import models as transitions_models

    return transitions_models


@dataclass(frozen=True)
class EpisodeAccess:
    can_view: bool = False
    can_edit: bool = False
    # Sees the episode only because it names them as the hospital's liaison (no timeline).
    as_liaison: bool = False
    # Sees it only by breaking the glass: every read is flagged.
    emergency_view: bool = False


def can_add_episode(user: AnyUser | None, patient: Patient) -> bool:
    """Care-team members who write on the patient's timeline record a stay in hospital."""
    return patient_access(user, patient).can_post


def is_episode_liaison(user: AnyUser | None, episode: Episode) -> TypeGuard[User]:
    """The liaison the episode names, while they still are what an episode may name: one who has
    moved to another organisation or region keeps no access through an old episode."""
    return (
        can_have_patients(user)
        and episode.liaison_user_id == user.pk
        and can_be_liaison(user, episode.patient)
    )


def episode_access(user: AnyUser | None, episode: Episode) -> EpisodeAccess:
    access = patient_access(user, episode.patient)
    liaison = is_episode_liaison(user, episode)
    if access.can_post:
        return EpisodeAccess(can_view=True, can_edit=True)
    if liaison:
        return EpisodeAccess(can_view=True, can_edit=True, as_liaison=True)
    if access.can_view:
        return EpisodeAccess(can_view=True, emergency_view=access.emergency_view)
    return EpisodeAccess()


def can_view_episode(user: AnyUser | None, episode: Episode) -> bool:
    return episode_access(user, episode).can_view


# Who an episode names decides who sees it (the liaison) and whom it reminds (the care manager).
NAMING_FIELDS = ("liaison_user", "care_manager")


def can_change_episode_field(user: AnyUser | None, episode: Episode, name: str) -> bool:
    """The care team names the liaison and the care manager; the liaison keeps the rest of the stay
    up to date but never hands the episode to someone else."""
    access = episode_access(user, episode)
    return access.can_edit and not (access.as_liaison and name in NAMING_FIELDS)


def can_be_liaison(user: AnyUser | None, patient: Patient) -> bool:
    """Who an episode may name as the hospital's liaison: hospital staff of the patient's region
    who may be on care teams."""
    if not can_have_patients(user) or user.organization is None:
        return False
    own = home_region(user)
    return (
        user.organization.kind == Organization.Kind.HOSPITAL
        and own is not None
        and own.pk == patient.organization.municipality.region_id
    )


def episodes_visible_to(user: AnyUser | None) -> QuerySet[Episode]:
    """The queryset form of :func:`can_view_episode` without break-the-glass: the episodes of the
    patients the user sees as a member, and those naming the user as liaison."""
    episodes = _transitions().Episode.objects
    if not can_have_patients(user):
        return episodes.none()
    patient_ids = [row["patient_id"] for row, visible in memberships_with_visibility(user) if visible]
    own = home_region(user)
    as_liaison = Q(pk__in=[])
    if user.organization is not None and user.organization.kind == Organization.Kind.HOSPITAL and own:
        as_liaison = Q(liaison_user=user, patient__organization__municipality__region=own)
    return episodes.filter(Q(patient_id__in=patient_ids) | as_liaison)


def can_set_transition_rule(user: AnyUser | None, region: Region) -> bool:
    return is_region_admin(user, region)


def can_write_document(user: AnyUser | None, episode: Episode, kind: str) -> bool:
    """The care team writes both documents; the hospital liaison writes the 退院・退所情報記録書."""
    access = episode_access(user, episode)
    if kind == "admission_info":
        return access.can_edit and not access.as_liaison
    return access.can_edit


def can_view_document(user: AnyUser | None, document: TransitionDocument) -> bool:
    """Whoever sees the patient's record; and the hospital the document was sent to (the liaison the
    episode names) for what was sent to it or what it wrote itself."""
    if patient_access(user, document.patient).can_view:
        return True
    episode = document.episode
    return (
        episode is not None
        and is_episode_liaison(user, episode)
        and (document.sent_at is not None or document.author_id == user.pk)
    )


def can_view_transition_indicators(user: AnyUser | None) -> bool:
    """The region's 入退院 indicators and the usage per organisation (counts only): the region
    administrator for the region, municipality staff for their municipality. Hospitals and care
    offices never see them (they would count other organisations' patients)."""
    return is_region_admin(user) or is_municipality_staff(user)


def indicator_episodes(user: AnyUser | None) -> tuple[QuerySet[Episode], str]:
    """The queryset form of :func:`can_view_transition_indicators`: the episodes it counts (by the
    patient's municipality), with the name of that scope."""
    episodes = _transitions().Episode.objects
    if is_region_admin(user):
        region = home_region(user)
        assert region is not None  # an administrator's region is known (is_region_admin)
        return episodes.filter(patient__municipality__region=region), region.name
    municipality = home_municipality(user)
    if is_municipality_staff(user) and municipality is not None:
        return episodes.filter(patient__municipality=municipality), municipality.name
    return episodes.none(), ""


def can_revoke_link(user: AnyUser | None, link: DocumentLink) -> bool:
    """The sender of a one-time link, or the staff of the sender's organisation who may have
    patients (a colleague when the sender is away), revoke it."""
    if not can_have_patients(user):
        return False
    return link.created_by_id == user.pk or (
        user.organization_id is not None and user.organization_id == link.created_by.organization_id
    )


def revocable_links(user: AnyUser | None, document: TransitionDocument) -> QuerySet[DocumentLink]:
    """The queryset form of :func:`can_revoke_link` for one document: its links ``user`` may revoke."""
    links = document.links.all()
    if not can_have_patients(user):
        return links.none()
    return links.filter(Q(created_by=user) | Q(created_by__organization_id=user.organization_id or 0))


def usage_organizations(user: AnyUser | None) -> tuple[QuerySet[Organization], str]:
    """The organisations whose usage :func:`can_view_transition_indicators` shows: the region's
    active organisations for its administrator, those of the municipality for its staff."""
    organizations = Organization.objects.filter(is_active=True)
    if is_region_admin(user):
        region = home_region(user)
        assert region is not None  # an administrator's region is known (is_region_admin)
        return organizations.filter(municipality__region=region), region.name
    municipality = home_municipality(user)
    if is_municipality_staff(user) and municipality is not None:
        return organizations.filter(municipality=municipality), municipality.name
    return organizations.none(), ""
