"""認知症ケアパス: for each stage of dementia (気づき … 終末期) and each kind of help (相談 … 住まい), a
short text and the directory entries where residents and families find that help.

One care path per municipality, written by its staff (the rule of its portal pages), shown on its
portal once published and printed as an A4 landscape table in the resource guide's style. The
entries are the directory's own records: their names, phones, addresses and 最終確認日 are read live,
so a phone number corrected in the directory is corrected in the care path too. An entry that has
since closed or paused is left out of what residents see and flagged on the staff page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from renkei.core import permissions
from renkei.core.fiscal import day_label, era_year
from renkei.core.models import Municipality, User
from renkei.core.pdf import render_pdf
from renkei.core.services import RuleError
from renkei.directory.catalog import FacilityStatus
from renkei.directory.models import Facility, category_label
from renkei.directory.services import FacilityQuery, search_facilities
from renkei.outreach.models import CarePathCell, CarePathEntry, CarePathHelp, CarePathStage, DementiaCarePath
from renkei.outreach.services import scope
from renkei.outreach.services.guide import verified_label

TITLE_MAX_LENGTH = 100
INTRODUCTION_MAX_LENGTH = 1000
MAX_ENTRIES_PER_CELL = 10
SEARCH_RESULTS = 20


class CarePathError(RuleError):
    code = "outreach_care_path_invalid"


# --- the rule for entries ---


def region_municipality_ids() -> set[int]:
    return set(scope.region_municipalities().values_list("pk", flat=True))


def entry_refusal(facility: Facility, region_ids: set[int]) -> str:
    """Why ``facility`` may not be listed in a care path ("" when it may): residents are sent only to
    entries of the region (``region_ids``: its municipalities) that are open now."""
    if facility.municipality_id not in region_ids:
        return f"「{facility.name}」はこの圏域の資源ではないため載せられません。"
    if facility.status == FacilityStatus.CLOSED:
        return f"「{facility.name}」は廃止されているため載せられません。"
    if facility.status == FacilityStatus.SUSPENDED:
        return f"「{facility.name}」は休止中のため載せられません。"
    return ""


# --- reading and writing ---


def care_path_of(municipality: Municipality) -> DementiaCarePath | None:
    return DementiaCarePath.objects.filter(municipality=municipality).first()


def default_title(municipality: Municipality) -> str:
    return f"{municipality.name} 認知症ケアパス"


def care_path_for_editing(actor: User, municipality: Municipality) -> DementiaCarePath:
    """The municipality's care path (an empty draft the first time) for someone who may edit it."""
    if not permissions.can_edit_dementia_care_path(actor, municipality):
        raise PermissionDenied
    care_path, _created = DementiaCarePath.objects.get_or_create(
        municipality=municipality, defaults={"title": default_title(municipality), "updated_by": actor}
    )
    return care_path


def _check_editor(actor: User, care_path: DementiaCarePath) -> None:
    if not permissions.can_edit_dementia_care_path(actor, care_path.municipality):
        raise PermissionDenied


def save_settings(actor: User, care_path: DementiaCarePath, *, title: str, introduction: str) -> None:
    _check_editor(actor, care_path)
    title, introduction = title.strip(), introduction.strip()
    errors = []
    if not title:
        errors.append({"field": "title", "message": "題名を入力してください。"})
    elif len(title) > TITLE_MAX_LENGTH:
        errors.append({"field": "title", "message": f"題名は{TITLE_MAX_LENGTH}字以内で入力してください。"})
    if len(introduction) > INTRODUCTION_MAX_LENGTH:
        errors.append(
            {
                "field": "introduction",
                "message": f"「はじめに」は{INTRODUCTION_MAX_LENGTH}字以内で入力してください"
                f"（いま{len(introduction)}字）。",
            }
        )
    if errors:
        raise CarePathError(errors[0]["message"], errors[0]["field"], errors=errors)
    care_path.title, care_path.introduction, care_path.updated_by = title, introduction, actor
    care_path.save(update_fields=["title", "introduction", "updated_by", "updated_at"])


def set_published(actor: User, care_path: DementiaCarePath, published: bool) -> None:
    _check_editor(actor, care_path)
    care_path.published, care_path.updated_by = published, actor
    care_path.save(update_fields=["published", "updated_by", "updated_at"])


def check_cell_address(stage: str, kind: str) -> None:
    """A stage and kind of help that exist (404 otherwise: they come from the page's address)."""
    if stage not in CarePathStage.values or kind not in CarePathHelp.values:
        raise Http404


def cell_of(care_path: DementiaCarePath, stage: str, kind: str) -> CarePathCell | None:
    check_cell_address(stage, kind)
    return care_path.cells.filter(stage=stage, kind=kind).first()


def save_cell(
    actor: User, care_path: DementiaCarePath, stage: str, kind: str, *, text: str, facility_ids: list[int]
) -> CarePathCell:
    """The cell's text and its entries in this order, replacing what it held. Every id must be an
    entry of the region that is open now; otherwise nothing is written and each refusal is named."""
    _check_editor(actor, care_path)
    check_cell_address(stage, kind)
    text = text.strip()
    ids = list(dict.fromkeys(facility_ids))  # the first mention of an entry keeps its place
    errors = []
    if len(text) > CarePathCell.TEXT_MAX_LENGTH:
        errors.append(
            {
                "field": "text",
                "message": f"説明は{CarePathCell.TEXT_MAX_LENGTH}字以内で入力してください（いま{len(text)}字）。",
            }
        )
    if len(ids) > MAX_ENTRIES_PER_CELL:
        errors.append(
            {"field": "facilities", "message": f"1つの欄に載せられる資源は{MAX_ENTRIES_PER_CELL}件までです。"}
        )
    found = Facility.objects.only("id", "name", "municipality", "status").in_bulk(ids)
    region_ids = region_municipality_ids()
    for pk in ids:
        facility = found.get(pk)
        reason = (
            f"番号 {pk} の資源は見つかりません。" if facility is None else entry_refusal(facility, region_ids)
        )
        if reason:
            errors.append({"field": "facilities", "message": reason})
    if errors:
        raise CarePathError(errors[0]["message"], errors[0]["field"], errors=errors)
    with transaction.atomic():
        # One writer per care path at a time: two saves of one cell never interleave their entries.
        locked = DementiaCarePath.objects.select_for_update().get(pk=care_path.pk)
        cell, _created = CarePathCell.objects.get_or_create(care_path=locked, stage=stage, kind=kind)
        cell.text = text
        cell.save(update_fields=["text", "updated_at"])
        cell.entries.all().delete()
        CarePathEntry.objects.bulk_create(
            CarePathEntry(cell=cell, facility_id=pk, order=position) for position, pk in enumerate(ids, 1)
        )
        locked.updated_by = actor
        locked.save(update_fields=["updated_by", "updated_at"])
    return cell


def published_care_path(municipality: Municipality) -> DementiaCarePath | None:
    return DementiaCarePath.objects.filter(municipality=municipality, published=True).first()


def public_care_path(municipality: Municipality) -> DementiaCarePath:
    care_path = published_care_path(municipality)
    if care_path is None:
        raise Http404
    return care_path


# --- the grid, as pages and the PDF show it ---


@dataclass
class GridEntry:
    facility: Facility
    verified: str  # 最終確認日 as the resource guide prints it
    listable: bool  # False: closed or paused since it was added (residents do not see it)

    @property
    def name(self) -> str:
        return self.facility.name

    @property
    def phone(self) -> str:
        return self.facility.phone

    @property
    def address(self) -> str:
        return self.facility.address


@dataclass
class GridCell:
    stage: str
    stage_label: str
    kind: str
    kind_label: str
    text: str = ""
    entries: list[GridEntry] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.text and not self.entries


@dataclass
class CarePathGrid:
    care_path: DementiaCarePath
    cells: dict[tuple[str, str], GridCell]

    @property
    def stages(self) -> list[tuple[str, str]]:
        return list(CarePathStage.choices)

    @property
    def by_kind(self) -> list[tuple[str, list[GridCell]]]:
        """One row per kind of help, its cells from 気づき to 終末期 (the printed table)."""
        return [
            (label, [self.cells[stage, kind] for stage in CarePathStage.values])
            for kind, label in CarePathHelp.choices
        ]

    @property
    def by_stage(self) -> list[tuple[str, list[GridCell]]]:
        """One section per stage, its kinds of help in order (the phone's reading order)."""
        return [
            (label, [self.cells[stage, kind] for kind in CarePathHelp.values])
            for stage, label in CarePathStage.choices
        ]

    @property
    def entries(self) -> list[GridEntry]:
        """Every entry of the grid once, in the order they first appear (stage by stage)."""
        seen: dict[int, GridEntry] = {}
        for _label, cells in self.by_stage:
            for cell in cells:
                for entry in cell.entries:
                    seen.setdefault(entry.facility.pk, entry)
        return list(seen.values())


def grid(care_path: DementiaCarePath, *, for_residents: bool) -> CarePathGrid:
    """All 30 cells (empty ones too). For residents, entries no longer open are left out."""
    facilities = Facility.objects.only(*scope.PUBLIC_FIELDS).select_related("municipality")
    entries = CarePathEntry.objects.prefetch_related(Prefetch("facility", queryset=facilities))
    cells = care_path.cells.prefetch_related(Prefetch("entries", queryset=entries))
    stored = {(cell.stage, cell.kind): cell for cell in cells}
    region_ids = region_municipality_ids()
    stage_labels, kind_labels = dict(CarePathStage.choices), dict(CarePathHelp.choices)
    result = {}
    for stage in CarePathStage.values:
        for kind in CarePathHelp.values:
            shown = GridCell(stage, stage_labels[stage], kind, kind_labels[kind])
            cell = stored.get((stage, kind))
            if cell is not None:
                shown.text = cell.text
                for entry in cell.entries.all():
                    listable = not entry_refusal(entry.facility, region_ids)
                    if listable or not for_residents:
                        shown.entries.append(
                            GridEntry(entry.facility, verified_label(entry.facility), listable)
                        )
            result[stage, kind] = shown
    return CarePathGrid(care_path, result)


# --- choosing entries on the staff page ---


@dataclass
class Candidate:
    facility: Facility
    refusal: str  # "" when it may be added

    @property
    def category_label(self) -> str:
        return category_label(self.facility.category)


def search_candidates(municipality: Municipality, text: str, *, whole_region: bool) -> list[Candidate]:
    """Entries whose name matches ``text`` (the directory's own search), in the municipality or the
    whole region, each with the reason it may not be added, if any."""
    if not text.strip():
        return []
    query = FacilityQuery(
        q=text, municipalities=[] if whole_region else [municipality.code], page_size=SEARCH_RESULTS
    )
    region_ids = region_municipality_ids()
    found = search_facilities(query).facilities
    return [Candidate(facility, entry_refusal(facility, region_ids)) for facility in found]


def facilities_by_id(ids: list[int]) -> list[Facility]:
    """The region's entries with these ids, in this order (unknown ids left out): the entries a staff
    member has chosen but not yet saved."""
    found = scope.public_facilities(include_closed=True).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


# --- print ---


def care_path_pdf(municipality_code: str) -> bytes:
    """The municipality's care path as an A4 landscape PDF (drafts too, marked as such)."""
    municipality = scope.municipality_in_region(municipality_code)
    care_path = care_path_of(municipality)
    if care_path is None:
        raise CarePathError(f"{municipality.name}の認知症ケアパスはまだ作られていません。", "municipality")
    today = timezone.localdate()
    shown = grid(care_path, for_residents=True)
    return render_pdf(
        "outreach/care_path_pdf.html",
        {
            "care_path": care_path,
            "grid": shown,
            "made_on": f"{day_label(today)}（{era_year(today.year)}年）印刷",
            "licenses": scope.licenses_of([entry.facility for entry in shown.entries]),
        },
    )
