"""What every transitions service shares: its refusal and its access-log row."""

from __future__ import annotations

from renkei.core.audit import record_access
from renkei.core.models import AccessLog, User
from renkei.core.services import RuleError
from renkei.transitions.models import Episode


class TransitionError(RuleError):
    """Input the 入退院 rules refuse (message in Japanese)."""


def log_episode(
    actor: User,
    episode: Episode,
    action: str,
    object_type: str = "episode",
    object_id: object = "",
    flagged: bool = False,
) -> AccessLog:
    """One access-log row about the episode's patient (the subject, as on the patient's page)."""
    return record_access(
        actor,
        action=action,
        subject_type="patient",
        subject_id=episode.patient_id,
        object_type=object_type,
        object_id=object_id if object_id != "" else episode.pk,
        flagged=flagged,
    )
