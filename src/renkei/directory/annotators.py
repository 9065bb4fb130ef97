"""What other apps add to the facilities a directory page shows, without the directory importing them.

An app registers a function (in its ``AppConfig.ready``) that sets attributes on a page's facilities
before the page renders; freshness sets ``facility.freshness``, which the directory's badge shows.
The facilities come with their municipality loaded."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from renkei.directory.models import Facility

Annotator = Callable[[Sequence[Facility]], None]

_annotators: list[Annotator] = []


def register(annotator: Annotator) -> None:
    if annotator not in _annotators:
        _annotators.append(annotator)


def annotate(facilities: Sequence[Facility]) -> None:
    for annotator in _annotators:
        annotator(facilities)
