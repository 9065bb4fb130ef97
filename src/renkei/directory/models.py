"""The regional resource directory (旧ア): facilities, the 介護 services they offer, what they can do."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from simple_history.models import HistoricalRecords

from renkei.core import formats
from renkei.core.models import Municipality, Organization
from renkei.core.text import normalize
from renkei.directory.catalog import (
    CAPABILITIES,
    CATEGORY_GROUP,
    CATEGORY_READINGS,
    SERVICE_TYPES,
    AcceptanceStatus,
    Category,
    FacilityStatus,
    specialty_reading,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# What people and files type → the stored form, per field with a format (see renkei.core.formats):
# forms and the review correction clean with these, then the fields' validators refuse the rest.
FIELD_CLEANERS: dict[str, Callable[[str], str]] = {
    "care_office_number": formats.CARE_OFFICE_NUMBER.clean,
    "medical_institution_id": formats.MEDICAL_INSTITUTION_ID.clean,
    "corporate_number": formats.CORPORATE_NUMBER.clean,
    "postal_code": formats.normalize_postal_code,
    "phone": formats.normalize_phone,
    "fax": formats.normalize_phone,
    "direct_phone": formats.normalize_phone,
}


def _capability_field(label: StrOrPromise) -> models.BooleanField:
    # Tri-state: True = does it, False = does not, None = unknown (unknown is not false).
    return models.BooleanField(label, null=True, blank=True, default=None)


@lru_cache(maxsize=64)
def _category_labels(language: str | None) -> dict[str, str]:
    return {value: str(label) for value, label in Category.choices}


@lru_cache(maxsize=4096)
def _normalized(text: str) -> str:
    return normalize(str(text))


@lru_cache(maxsize=4096)
def _normalized_specialty(name: str) -> str:
    # The specialty and its reading: 「ないか」 typed on a phone finds 内科.
    return normalize(f"{name} {specialty_reading(str(name))}")


@lru_cache(maxsize=64)
def _normalized_category_reading(category: str) -> str:
    return normalize(CATEGORY_READINGS.get(category, ""))


@lru_cache(maxsize=256)
def _normalized_service(code: str) -> str:
    service = SERVICE_TYPES.get(code)
    return normalize(f"{service.name} {service.kana}") if service else ""


def field_label(name: str) -> str:
    """A Facility field's name for people, as the messages name it."""
    field = Facility._meta.get_field(name)
    assert isinstance(field, models.Field)  # a column, not a reverse relation
    return str(field.verbose_name)


def category_label(category: str) -> str:
    """The category's name in the active language, cached (imports call this for every row)."""
    return _category_labels(get_language()).get(category, "")


def municipality_token(code: str) -> str:
    return f"m{code}"


def search_grams_for(search_text: str, municipality_code: str) -> str:
    """What the full-text index reads: the municipality token, then the text's bigrams.

    The municipality's code rides along as a token, so that one index lookup finds the matches
    inside a region without visiting the rest of the country's.
    """
    # Unfiltered pieces: the tokenizer drops punctuation-only ones itself, and imports call this per row.
    pieces = sorted({search_text[i : i + 2] for i in range(len(search_text) - 1)})
    return " ".join([municipality_token(municipality_code), *pieces])


class Facility(models.Model):
    """A medical, care or community resource of the region (社会資源)."""

    class Source(models.TextChoices):
        KAIGO = "kaigo", "介護サービス情報公表システム"
        IRYO = "iryo", "医療情報ネット"
        RENKEI = "renkei", "Renkei 取込テンプレート"
        MANUAL = "manual", "手入力"

    # Public fields
    name = models.CharField("名称", max_length=200)
    name_kana = models.CharField("名称（ふりがな）", max_length=300, blank=True)
    short_name = models.CharField("略称", max_length=200, blank=True)
    category = models.CharField("種別", max_length=40, choices=Category.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="facilities", verbose_name="市町村"
    )
    postal_code = models.CharField(
        "郵便番号", max_length=8, blank=True, validators=[formats.validate_postal_code]
    )
    address = models.CharField("所在地", max_length=300, blank=True)
    latitude = models.FloatField("緯度", null=True, blank=True)
    longitude = models.FloatField("経度", null=True, blank=True)
    phone = models.CharField("電話番号", max_length=20, blank=True, validators=[formats.validate_phone])
    fax = models.CharField("FAX番号", max_length=20, blank=True, validators=[formats.validate_phone])
    url = models.URLField("ホームページ", max_length=500, blank=True)
    opening_hours = models.TextField("営業日・診療時間", blank=True)
    capacity = models.PositiveIntegerField("定員", null=True, blank=True)
    beds = models.PositiveIntegerField("病床数", null=True, blank=True)
    specialties = models.JSONField("診療科目", default=list, blank=True)
    description = models.TextField("紹介・備考", blank=True)
    corporation_name = models.CharField("法人名", max_length=200, blank=True)

    # Official codes
    care_office_number = models.CharField(
        "介護保険事業所番号", max_length=10, null=True, blank=True, unique=True,
        validators=[formats.validate_care_office_number],
    )  # fmt: skip
    medical_institution_id = models.CharField(
        "医療機関ID（医療情報ネット）", max_length=13, null=True, blank=True, unique=True,
        validators=[formats.validate_medical_institution_id],
    )  # fmt: skip
    corporate_number = models.CharField(
        "法人番号", max_length=13, blank=True, validators=[formats.validate_corporate_number]
    )
    local_code = models.CharField(
        "独自コード", max_length=40, null=True, blank=True, unique=True,
        help_text="公的な番号のない資源（通いの場など）を取込テンプレートで識別するコード",
    )  # fmt: skip

    # Home-care capabilities (tri-state) and acceptance
    house_call = _capability_field("往診")
    home_visit_care = _capability_field("訪問診療")
    round_the_clock = _capability_field("24時間対応")
    end_of_life_care = _capability_field("看取り")
    dementia_care = _capability_field("認知症対応")
    tube_feeding = _capability_field("胃ろう・経管栄養")
    suctioning = _capability_field("喀痰吸引")
    home_oxygen = _capability_field("在宅酸素")
    central_venous_nutrition = _capability_field("中心静脈栄養")
    ventilator = _capability_field("人工呼吸器")
    pressure_ulcer_care = _capability_field("褥瘡処置")
    insulin = _capability_field("インスリン")
    stoma = _capability_field("ストーマ")
    peritoneal_dialysis = _capability_field("腹膜透析")
    palliative_opioids = _capability_field("疼痛緩和・麻薬")
    acceptance_status = models.CharField(
        "受入状況", max_length=20, choices=AcceptanceStatus.choices, default=AcceptanceStatus.UNKNOWN
    )
    acceptance_stated_at = models.DateField("受入状況の確認日", null=True, blank=True)

    # Professional-only fields
    direct_phone = models.CharField(
        "連携用直通電話", max_length=20, blank=True, validators=[formats.validate_phone]
    )
    liaison_contact = models.CharField("連携窓口・担当者", max_length=200, blank=True)
    acceptance_note = models.TextField("受入に関する詳細", blank=True)
    professional_note = models.TextField("専門職向けメモ", blank=True)

    # State, provenance, freshness
    status = models.CharField(
        "状態", max_length=20, choices=FacilityStatus.choices, default=FacilityStatus.ACTIVE
    )
    source = models.CharField("登録元", max_length=20, choices=Source.choices, default=Source.MANUAL)
    source_file = models.CharField("取込ファイル", max_length=255, blank=True)
    source_row = models.PositiveIntegerField("取込行", null=True, blank=True)
    imported_at = models.DateTimeField("最終取込日時", null=True, blank=True)
    verified_at = models.DateTimeField("最終確認日", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="確認者",
    )  # fmt: skip
    # How the last confirmation came (staff, link, import…); nullable so that SQLite adds the column in place.
    verified_via = models.CharField("確認の方法", max_length=20, null=True, blank=True)  # noqa: DJ001
    # Set by a full import when the official file no longer lists the facility; cleared when it returns.
    missing_from_source_at = models.DateTimeField("公表データに無し", null=True, blank=True)
    organization = models.OneToOneField(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="facility",
        verbose_name="Renkei上の組織",
    )  # fmt: skip
    search_text = models.TextField(editable=False, default="")
    # The bigrams of search_text, space-separated: what the full-text index reads (see migration 0002).
    search_grams = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Every version is kept. The search columns are derived and left out of the history.
    # Only the facility id and the date are indexed in the history: it is read one facility at a
    # time, and every further index would slow the national import that writes a version per row.
    history = HistoricalRecords(
        excluded_fields=["search_text", "search_grams", "updated_at"],
        no_db_index=[
            "municipality", "organization", "verified_by", "care_office_number", "medical_institution_id",
            "local_code",
        ],
    )  # fmt: skip

    class Meta:
        verbose_name = "施設・資源"
        verbose_name_plural = "施設・資源"
        ordering = ["name_kana", "id"]
        indexes = [
            models.Index(fields=["municipality", "category", "status"]),
            models.Index(fields=["category", "status"]),
            # Latitude first: a region or a map view is a narrow band of latitude. (A leading status
            # column would make PostgreSQL, which has no skip scan, read the whole index.)
            models.Index(fields=["latitude", "longitude"], name="directory_facility_location"),
            models.Index(fields=["status", "name_kana", "id"]),
            models.Index(fields=["verified_at"]),
            models.Index(fields=["municipality", "verified_at"]),
            models.Index(fields=["missing_from_source_at"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def category_display(self) -> str:
        """``get_category_display`` from the cached labels (it rebuilds the choices on every call; a
        search page shows twenty cards)."""
        return category_label(self.category) or self.category

    @property
    def category_group(self) -> str:
        return CATEGORY_GROUP[self.category]

    @property
    def is_closed(self) -> bool:
        return self.status == FacilityStatus.CLOSED

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def capabilities(self) -> list[tuple[str, str, bool | None]]:
        return [(c.field, c.label, getattr(self, c.field)) for c in CAPABILITIES]

    def true_capabilities(self) -> list:
        """What it is known to do (unknown is not true)."""
        return [c for c in CAPABILITIES if getattr(self, c.field) is True]

    def set_search_fields(self, service_codes: list[str] | None = None) -> None:
        """Rebuild ``search_text`` and ``search_grams`` (call before saving; bulk writers too)."""
        self.search_text = self.build_search_text(service_codes)
        self.search_grams = search_grams_for(self.search_text, self.municipality.code)

    def build_search_text(self, service_codes: list[str] | None = None) -> str:
        """The normalised text that free-text search matches; rebuild it whenever a part changes."""
        if service_codes is None:
            service_codes = [service.code for service in self.services.all()] if self.pk else []
        # The record's own words are normalised here; the fixed vocabulary (category, services,
        # capabilities, municipality) comes normalised from a cache — imports build this per row.
        own = normalize(
            " ".join(part for part in (self.name, self.name_kana, self.short_name, self.address) if part)
        )
        fixed = [
            _normalized(category_label(self.category)),
            _normalized_category_reading(self.category),
            _normalized(self.municipality.name) if self.municipality_id else "",
            *(_normalized_service(code) for code in service_codes),
            *(_normalized_specialty(name) for name in self.specialties or []),
            # What it can do, so that 「訪問看護 24時間」 finds the stations that work around the clock.
            *(_normalized(c.label) for c in self.true_capabilities()),
        ]
        return own + "".join(fixed)


class FacilityService(models.Model):
    """A 介護 service type (official service code) offered by a facility."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="services")
    code = models.CharField("サービス種類コード", max_length=3)
    capacity = models.PositiveIntegerField("定員", null=True, blank=True)
    available_days = models.CharField("利用可能曜日", max_length=200, blank=True)

    class Meta:
        verbose_name = "提供サービス"
        verbose_name_plural = "提供サービス"
        constraints = [models.UniqueConstraint(fields=["facility", "code"], name="facility_service_unique")]
        indexes = [models.Index(fields=["code", "facility"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        service = SERVICE_TYPES.get(self.code)
        return service.name if service else self.code
