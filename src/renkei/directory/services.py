"""Rules and queries of the directory: search (for pages, API and benchmark alike) and edits."""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, cast

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count, ExpressionWrapper, F, FloatField, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from renkei.core import permissions
from renkei.core.formats import has_municipality_code_shape
from renkei.core.models import Municipality, Region, User
from renkei.core.services import RuleError, default_region
from renkei.core.text import CONTROL_CHARACTERS, bigrams, normalize
from renkei.directory import geocoding
from renkei.directory.catalog import (
    CAPABILITY_BY_FIELD,
    SERVICE_TYPES,
    AcceptanceStatus,
    Category,
    CategoryGroup,
    FacilityStatus,
    categories_in_group,
)
from renkei.directory.models import Facility, FacilityService, category_label, municipality_token

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 20
MAX_RADIUS_KM = 100.0
DEFAULT_RADIUS_KM = 5.0
GEOJSON_LIMIT = 5000
KM_PER_DEGREE_LAT = 111.32
SORTS = {"name": "名前順", "distance": "近い順", "freshness": "最終確認日が新しい順"}


class QueryError(RuleError):
    """Search parameters that cannot be used. ``errors`` lists every problem, each {"field", "message"}
    in Japanese; the API answers them as ``invalid_parameter``, the page lists them above the form."""

    code = "invalid_parameter"

    def __init__(self, errors: list[dict[str, str]], query: FacilityQuery | None = None):
        super().__init__("検索条件に誤りがあります。", errors=errors)
        # What could be read of the request, so that the page shows the form as it was filled in.
        self.query = query

    def __str__(self) -> str:
        return "; ".join(error["message"] for error in self.errors)


class _Unresolved(enum.Enum):
    """Not looked up yet (None is a result: no such region, or the whole country)."""

    TOKEN = enum.auto()


_UNRESOLVED: Final = _Unresolved.TOKEN


@dataclass
class FacilityQuery:
    q: str = ""
    group: str = ""
    categories: list[str] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    capabilities: list[str] = field(default_factory=list)
    acceptance: list[str] = field(default_factory=list)
    near: tuple[float, float] | None = None
    near_address: str = ""
    radius_km: float = DEFAULT_RADIUS_KM
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    verified_only: bool = False
    region: str = ""  # region slug; "" = the site's default region, "all" = every region
    # The region and municipalities the query names, looked up once (by parse_query's checks or by
    # the search itself) and kept here: _scope_region and _scope_municipalities.
    _region: Region | _Unresolved | None = field(default=_UNRESOLVED, init=False, repr=False, compare=False)
    _scope: list[tuple[int, str]] | _Unresolved | None = field(
        default=_UNRESOLVED, init=False, repr=False, compare=False
    )
    sort: str = ""
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def terms(self) -> list[str]:
        return [term for term in (normalize(part) for part in self.q.split()) if term]


@dataclass
class SearchResult:
    query: FacilityQuery
    count: int
    facilities: list[Facility]
    distances_km: dict[int, float]
    center: tuple[float, float] | None

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.count / self.query.page_size))

    @property
    def has_next(self) -> bool:
        return self.query.page < self.page_count

    @property
    def has_previous(self) -> bool:
        return self.query.page > 1


# --- parsing -----------------------------------------------------------------------------------

Params = Mapping[str, Any]  # a QueryDict (pages, API) or a dict of strings or lists (tests, benchmark)
Errors = list[dict[str, str]]
Geocoder = Callable[[str], tuple[float, float, str, str] | None]

# Repeatable parameters whose every value must be known:
# parameter → (FacilityQuery attribute, the known values, message for an unknown value).
CHOICES: dict[str, tuple[str, Collection[str], str]] = {
    "service": ("services", SERVICE_TYPES, "サービス種類コード「{}」はありません。"),
    "capability": ("capabilities", CAPABILITY_BY_FIELD, "対応項目「{}」はありません。"),
    "acceptance": ("acceptance", AcceptanceStatus.values, "受入状況「{}」はありません。"),
}
# Whole-number parameters: parameter (also the FacilityQuery attribute) → (minimum, maximum, label).
INTEGERS: dict[str, tuple[int, int, str]] = {
    "page": (1, 100000, "ページ"),
    "page_size": (1, MAX_PAGE_SIZE, "1ページの件数"),
}
# How ``verified`` may be spelled (the OpenAPI document calls it a boolean; the page's box sends 1).
BOOLEAN_WORDS = {"1": True, "true": True, "on": True, "yes": True, "t": True, "y": True}
BOOLEAN_WORDS |= {"": False, "0": False, "false": False, "off": False, "no": False, "f": False, "n": False}


def _error(errors: Errors, field: str, message: str) -> None:
    errors.append({"field": field, "message": message})


def _word(params: Params, key: str) -> str:
    return str(params.get(key) or "").strip()


def _many(params: Params, key: str) -> list[str]:
    if isinstance(params, MultiValueDict):
        values: list[Any] = params.getlist(key)
    else:
        value = params.get(key)
        values = (
            list(value) if isinstance(value, list | tuple) else ([value] if value not in (None, "") else [])
        )
    out: list[str] = []
    for value in values:
        out.extend(part.strip() for part in str(value).split(",") if part.strip())
    return out


def _text_param(params: Params, key: str, limit: int = 200) -> str:
    """A free-text parameter: control characters (a NUL, say) become spaces; at most ``limit``."""
    return CONTROL_CHARACTERS.sub(" ", str(params.get(key) or "")).strip()[:limit]


def _float_pair(text: str, field_name: str, label: str, errors: Errors) -> tuple[float, float] | None:
    parts = [part.strip() for part in text.split(",")]
    try:
        lat, lon = (float(part) for part in parts)
    except ValueError:
        _error(errors, field_name, f"{label}は「緯度,経度」の形式で入力してください。")
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not all(map(math.isfinite, (lat, lon))):
        _error(errors, field_name, f"{label}の緯度・経度が範囲外です。")
        return None
    return lat, lon


def parse_query(params: Params, *, geocode: Geocoder | None = geocoding.geocode) -> FacilityQuery:
    """Turn request parameters (a QueryDict or a dict) into a :class:`FacilityQuery`.

    The one parser of the search parameters: the page, the API (whose OpenAPI document lists the same
    parameters) and the benchmark call it. Raises :class:`QueryError` with every problem found.
    """
    errors: Errors = []
    query = FacilityQuery(q=_text_param(params, "q"))
    _parse_kinds(params, query, errors)
    _parse_municipalities(params, query, errors)
    for key, (attribute, known, message) in CHOICES.items():
        for choice in _many(params, key):
            if choice in known:
                getattr(query, attribute).append(choice)
            else:
                _error(errors, key, message.format(choice))
    _parse_place(params, query, errors, geocode)
    _parse_bbox(_word(params, "bbox"), query, errors)
    verified = _word(params, "verified").lower()
    if verified in BOOLEAN_WORDS:
        query.verified_only = BOOLEAN_WORDS[verified]
    else:
        _error(errors, "verified", "確認済みの情報のみ（verified）は true または false で指定してください。")
    _parse_region(_word(params, "region"), query, errors)
    _parse_sort(_word(params, "sort"), query, errors)
    for key, (minimum, maximum, label) in INTEGERS.items():
        value = params.get(key)
        if value in (None, ""):
            continue
        try:
            number = int(value)
            if not (minimum <= number <= maximum):
                raise ValueError
        except (TypeError, ValueError):
            _error(errors, key, f"{label}は{minimum}〜{maximum}の整数で指定してください。")
        else:
            setattr(query, key, number)
    if errors:
        raise QueryError(errors, query)
    return query


def _parse_kinds(params: Params, query: FacilityQuery, errors: Errors) -> None:
    """``group`` (medical, care, community) and ``category``, which may name a group too."""
    group = _word(params, "group")
    if group and group not in CategoryGroup.values:
        _error(errors, "group", f"分類「{group}」はありません（medical, care, community）。")
    query.group = group if group in CategoryGroup.values else ""
    for category in _many(params, "category"):
        if category in CategoryGroup.values:
            query.group = query.group or category
        elif category in Category.values:
            query.categories.append(category)
        else:
            _error(errors, "category", f"種別「{category}」はありません。")


def _parse_municipalities(params: Params, query: FacilityQuery, errors: Errors) -> None:
    for code in _many(params, "municipality"):
        if has_municipality_code_shape(code):
            query.municipalities.append(code)
        else:
            _error(errors, "municipality", f"市町村コード「{code}」は6桁の数字で指定してください。")
    if not query.municipalities:
        return
    known = {code for _pk, code in _scope_municipalities(query) or []}
    for code in sorted(set(query.municipalities) - known):
        _error(errors, "municipality", f"市町村コード「{code}」の市町村はありません。")


def _parse_place(params: Params, query: FacilityQuery, errors: Errors, geocode: Geocoder | None) -> None:
    """``radius_km`` around ``near`` (latitude,longitude) or else around ``near_address``, geocoded."""
    radius = params.get("radius_km")
    if radius not in (None, ""):
        try:
            query.radius_km = float(radius)
            if not (0 < query.radius_km <= MAX_RADIUS_KM):
                raise ValueError
        except (TypeError, ValueError):
            _error(errors, "radius_km", f"半径は0より大きく{MAX_RADIUS_KM:g}km以下で指定してください。")
    near = _word(params, "near")
    if near:
        query.near = _float_pair(near, "near", "中心地点", errors)
    address = _text_param(params, "near_address")
    if address and query.near is None and geocode is not None:
        located = geocode(address)
        if located is None:
            query.near_address = address  # shown again in its field, to be completed
            _error(errors, "near_address", _unplaced_address_message(address))
        else:
            query.near = (located[0], located[1])
            query.near_address = address


def _unplaced_address_message(address: str) -> str:
    """Why an address could not be placed: the geocoder reads the 市町村 first, and it was missing or
    unknown; where the town is known, say in which 市町村 it lies."""
    towns = geocoding.municipalities_with_town(address)
    message = f"「{address}」の場所が見つかりませんでした。市町村名がありません。"
    if towns:
        examples = "、".join(f"「{name}{address}」" for name in towns[:3])
        return message + f"{examples}のように、市町村名から入力してください。"
    return message + "「八戸市湊町」のように、市町村名から町名まで入力してください。"


def _parse_bbox(bbox: str, query: FacilityQuery, errors: Errors) -> None:
    if not bbox:
        return
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in bbox.split(","))
        if not all(map(math.isfinite, (min_lon, min_lat, max_lon, max_lat))):
            raise ValueError
    except ValueError:
        _error(
            errors,
            "bbox",
            "表示範囲（bbox）は「西経度,南緯度,東経度,北緯度」の4つの数値で指定してください。",
        )
    else:
        if -180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90:
            query.bbox = (min_lon, min_lat, max_lon, max_lat)
        else:
            _error(errors, "bbox", "表示範囲（bbox）の値が範囲外か、西と東・南と北が逆です。")


def _parse_region(region: str, query: FacilityQuery, errors: Errors) -> None:
    query.region = region
    if region in ("", "all"):
        return
    if not (re.fullmatch(r"[-\w]{1,50}", region, re.ASCII) and _scope_region(query) is not None):
        _error(errors, "region", f"圏域「{region[:40]}」はありません。")


def _parse_sort(sort: str, query: FacilityQuery, errors: Errors) -> None:
    """After the place: the default order is by distance when there is a centre, else by name."""
    if sort and sort not in SORTS:
        _error(errors, "sort", "並び順は name, distance, freshness のいずれかです。")
    query.sort = sort if sort in SORTS else ("distance" if query.near else "name")
    if query.sort == "distance" and query.near is None:
        query.sort = "name"


# --- searching ---------------------------------------------------------------------------------


def _scope_region(query: FacilityQuery) -> Region | None:
    if query._region is _UNRESOLVED:
        query._region = Region.objects.filter(slug=query.region).first() if query.region else default_region()
    return query._region


def _scope_municipalities(query: FacilityQuery) -> list[tuple[int, str]] | None:
    """(id, code) of each municipality the query is limited to; None: the whole country.

    Resolved before the search, so that the search filters on a list of ids: a join to the
    municipalities would let PostgreSQL repeat the full-text lookup once per municipality."""
    if query._scope is _UNRESOLVED:
        query._scope = _look_up_scope(query)
    return query._scope


def _look_up_scope(query: FacilityQuery) -> list[tuple[int, str]] | None:
    if query.municipalities:
        municipalities = Municipality.objects.filter(code__in=query.municipalities)
    elif query.region == "all":
        return None
    else:
        region = _scope_region(query)
        if region is None:
            return []
        municipalities = region.municipalities.all()
    return list(municipalities.order_by("code").values_list("id", "code"))


def _near_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    dlat = radius_km / KM_PER_DEGREE_LAT
    dlon = radius_km / (KM_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.01))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def filtered_queryset(query: FacilityQuery, *, include_closed: bool = False) -> QuerySet[Facility]:
    """Every filter of the query applied; no ordering, no paging."""
    qs = Facility.objects.all()
    if not include_closed:
        qs = qs.exclude(status=FacilityStatus.CLOSED)
    scope = _scope_municipalities(query)
    if scope is not None:
        qs = qs.filter(municipality_id__in=[pk for pk, _code in scope])
    categories = set(query.categories)
    if query.group:
        group_categories = set(categories_in_group(query.group))
        categories = (categories & group_categories) if categories else group_categories
        if not categories:
            return qs.none()
    if categories:
        qs = qs.filter(category__in=sorted(categories))
    if query.terms:
        qs = _text_filter(qs, query.terms, None if scope is None else [code for _pk, code in scope])
    for code in query.services:
        # A semi-join: a facility appears once however its services are listed.
        qs = qs.filter(pk__in=FacilityService.objects.filter(code=code).values("facility_id"))
    for name in query.capabilities:
        qs = qs.filter(**{name: True})
    if query.acceptance:
        qs = qs.filter(acceptance_status__in=query.acceptance)
    if query.verified_only:
        qs = qs.filter(verified_at__isnull=False)
    if query.bbox:
        min_lon, min_lat, max_lon, max_lat = query.bbox
        qs = qs.filter(
            latitude__gte=min_lat, latitude__lte=max_lat, longitude__gte=min_lon, longitude__lte=max_lon
        )
    if query.near:
        lat, lon = query.near
        min_lon, min_lat, max_lon, max_lat = _near_box(lat, lon, query.radius_km)
        scale = math.cos(math.radians(lat))
        # Equirectangular distance²: exact enough within 100 km, and computable in any SQL database.
        qs = (
            qs.filter(
                latitude__gte=min_lat, latitude__lte=max_lat, longitude__gte=min_lon, longitude__lte=max_lon
            )
            .alias(
                distance_sq=ExpressionWrapper(
                    (F("latitude") - lat) * (F("latitude") - lat)
                    + (F("longitude") - lon) * (F("longitude") - lon) * scale * scale,
                    output_field=FloatField(),
                )
            )
            .filter(LessThanOrEqual(F("distance_sq"), (query.radius_km / KM_PER_DEGREE_LAT) ** 2))
        )
    return qs


def _text_filter(
    qs: QuerySet[Facility], terms: list[str], scope_codes: list[str] | None
) -> QuerySet[Facility]:
    """Substring match of every term on the normalised text.

    Candidates come from the bigram index (restricted to the municipalities in scope inside the
    same lookup); LIKE then checks each term exactly. A one-character term has no bigram and is
    checked by LIKE alone.
    """
    grams = sorted({gram for term in terms for gram in bigrams(term)})
    scope = [municipality_token(code) for code in scope_codes] if scope_codes else []
    if grams:
        if connection.vendor == "sqlite":
            match = " AND ".join('"' + gram.replace('"', '""') + '"' for gram in grams)
            if scope:
                match += " AND (" + " OR ".join(scope) + ")"
            qs = qs.filter(
                id__in=RawSQL(
                    "SELECT rowid FROM directory_facility_fts WHERE directory_facility_fts MATCH %s", [match]
                )
            )
        elif connection.vendor == "postgresql":
            where, params = ["string_to_array(search_grams, ' ') @> %s::text[]"], [grams]
            if scope:
                where.append("string_to_array(search_grams, ' ') && %s::text[]")
                params.append(scope)
            qs = qs.extra(where=where, params=params)  # noqa: S610 (parameters are bound)
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    return qs


def _ordered(qs: QuerySet[Facility], query: FacilityQuery) -> QuerySet[Facility]:
    if query.sort == "distance" and query.near:
        return qs.order_by(F("distance_sq"), "id")
    if query.sort == "freshness":
        return qs.order_by(F("verified_at").desc(nulls_last=True), "id")
    return qs.order_by("name_kana", "name", "id")


def search_facilities(query: FacilityQuery, *, include_closed: bool = False) -> SearchResult:
    """The one search of the directory. Pages, the API and the benchmark all call this."""
    qs = filtered_queryset(query, include_closed=include_closed)
    offset = (query.page - 1) * query.page_size
    # The page's ids and the total in one narrow pass over the matches (COUNT(*) OVER ()); the
    # page's rows are then read by id. Joining or sorting whole rows of every match costs more.
    window = list(
        _ordered(qs, query)
        .annotate(total_matches=Window(Count("pk")))
        .values_list("pk", "total_matches")[offset : offset + query.page_size]
    )
    count = window[0][1] if window else (qs.count() if offset else 0)
    by_id = (
        Facility.objects.defer("search_text", "search_grams")
        .select_related("municipality")
        .prefetch_related("services")
        .in_bulk([pk for pk, _total in window])
    )
    page_rows = [by_id[pk] for pk, _total in window]
    distances: dict[int, float] = {}
    if query.near:
        lat, lon = query.near
        distances = {
            facility.pk: distance_km(lat, lon, facility.latitude, facility.longitude)
            for facility in page_rows
            if facility.latitude is not None and facility.longitude is not None
        }
    return SearchResult(
        query=query, count=count, facilities=page_rows, distances_km=distances, center=query.near
    )


def geojson(query: FacilityQuery, *, limit: int = GEOJSON_LIMIT) -> dict:
    """The query's facilities with coordinates as a GeoJSON FeatureCollection (for the map)."""
    qs = filtered_queryset(query).filter(latitude__isnull=False, longitude__isnull=False)
    # Both coordinates are present: the filter above requires them.
    rows = cast(
        list[tuple[int, str, str, str, float, float]],
        list(
            _ordered(qs, query).values_list(
                "id", "name", "category", "acceptance_status", "latitude", "longitude"
            )[: limit + 1]
        ),
    )
    truncated = len(rows) > limit
    acceptance_labels = {value: str(label) for value, label in AcceptanceStatus.choices}
    features = [
        {
            "type": "Feature",
            "id": pk,
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": {
                "id": pk,
                "name": name,
                "category": category,
                "category_label": category_label(category) or category,
                "acceptance_status": acceptance,
                "acceptance_label": acceptance_labels.get(acceptance, acceptance),
                "url": f"/facilities/{pk}/",
            },
        }
        for pk, name, category, acceptance, lat, lon in rows[:limit]
    ]
    return {"type": "FeatureCollection", "features": features, "truncated": truncated}


# --- reading and editing -----------------------------------------------------------------------


def get_facility(pk: int) -> Facility | None:
    """A facility page: closed ones stay reachable (shown as 廃止) so that old links keep working."""
    return (
        Facility.objects.select_related("municipality", "verified_by")
        .prefetch_related("services")
        .filter(pk=pk)
        .first()
    )


def search_municipalities() -> QuerySet[Municipality]:
    """The municipalities offered as a search filter: those of the site's region."""
    region = default_region()
    return (
        Municipality.objects.filter(region=region).order_by("code") if region else Municipality.objects.none()
    )


def refresh_search_text(facility: Facility) -> None:
    facility.set_search_fields()
    Facility.objects.filter(pk=facility.pk).update(
        search_text=facility.search_text, search_grams=facility.search_grams
    )


@transaction.atomic
def save_facility(facility: Facility, *, service_codes: list[str] | None, user: User) -> Facility:
    """Save an edit made by staff through the form: search text rebuilt, confirmation recorded."""
    if not permissions.can_edit_facility(user, facility):
        raise PermissionDenied("この施設を編集する権限がありません。")
    now = timezone.now()
    facility.verified_at = now
    facility.verified_by = user
    facility.verified_via = "staff"
    # Staff looked at it: whatever the official data says, the entry is confirmed as it stands.
    facility.missing_from_source_at = None
    # simple_history reads the reason for the history row from this attribute, set on the instance.
    facility._change_reason = "職員が編集"  # type: ignore[attr-defined]
    facility.save()
    if service_codes is not None:
        facility.services.exclude(code__in=service_codes).delete()
        existing = set(facility.services.values_list("code", flat=True))
        for code in service_codes:
            if code not in existing:
                facility.services.create(code=code)
    refresh_search_text(facility)
    return facility
