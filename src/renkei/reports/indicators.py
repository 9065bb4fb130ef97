"""Figures the survey takes from the data: a registry of sources, one per app that has figures.

An app adds its source from its ``AppConfig.ready`` (the meetings and the 入退院 apps will add
trainings held, attendance and document timeliness this way)::

    from renkei.reports import indicators

    indicators.register(indicators.Source(
        key="meetings",
        label="会議・研修（会議記録）",
        fields=("trainings_held", "training_attendance"),
        labels=("研修の開催回数", "研修の参加者数"),
        compute=trainings_per_municipality,   # (actor, region, municipalities, period) → {pk: {field: N}}
    ))

``compute`` answers for the municipalities the actor may see (``actor`` None: the operator, who
counts as the region administrator), with a value for each of its ``fields`` (None when unknown).
The survey's JSON, its page and its export list the fields of every registered source in
registration order; nothing in the survey names an app's models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from renkei.core.fiscal import Period
from renkei.core.models import Municipality, Region

Value = int | str | None  # a count, 「5件未満」 where the source hides it, or None (not known)
Compute = Callable[[Any, Region, list[Municipality], Period], dict[int, dict[str, Value]]]


@dataclass(frozen=True)
class Source:
    key: str
    label: str  # the source as the survey names it: 「相談記録（相談支援）」
    fields: tuple[str, ...]
    compute: Compute
    labels: tuple[str, ...] = ()  # each field as people read it, in the order of ``fields``
    # What the figures describe when not the whole period (e.g. 「出力時点」 for a state, not a count).
    period_note: str = ""


_SOURCES: list[Source] = []


def register(source: Source) -> None:
    if all(existing.key != source.key for existing in _SOURCES):
        _SOURCES.append(source)


def sources() -> list[Source]:
    return list(_SOURCES)


def fields() -> list[str]:
    return [name for source in _SOURCES for name in source.fields]


def labels() -> dict[str, str]:
    return {
        name: (source.labels[index] if index < len(source.labels) else name)
        for source in _SOURCES
        for index, name in enumerate(source.fields)
    }
