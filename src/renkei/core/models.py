"""The region core: regions, municipalities, organisations and the people who work in them."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import salted_hmac

from renkei.core import audit_labels
from renkei.core.formats import InvalidCode, validate_municipality_code
from renkei.core.text import normalize


def _code_validator(value: str) -> None:
    try:
        validate_municipality_code(value)
    except InvalidCode as exc:
        raise ValidationError(str(exc), code="invalid_municipality_code") from None


class Region(models.Model):
    """A 圏域: municipalities that run the home-care coordination programme together."""

    slug = models.SlugField("識別名", unique=True)
    name = models.CharField("圏域名", max_length=100)
    short_name = models.CharField("略称", max_length=50)
    prefecture = models.CharField("都道府県", max_length=10)

    class Meta:
        verbose_name = "圏域"
        verbose_name_plural = "圏域"
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A 市町村, keyed by its 6-digit 全国地方公共団体コード (with check digit)."""

    code = models.CharField("地方公共団体コード", max_length=6, unique=True, validators=[_code_validator])
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="municipalities",
        verbose_name="圏域",
    )  # fmt: skip
    prefecture = models.CharField("都道府県", max_length=10)
    county = models.CharField("郡", max_length=20, blank=True)
    name = models.CharField("市町村名", max_length=50)
    kana = models.CharField("ふりがな", max_length=100, blank=True)

    class Meta:
        verbose_name = "市町村"
        verbose_name_plural = "市町村"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        return f"{self.prefecture}{self.county}{self.name}"


class Organization(models.Model):
    """Any body whose staff use Renkei: a hospital, clinic, care office, 地域包括支援センター, 医師会, 役場…"""

    class Kind(models.TextChoices):
        HOSPITAL = "hospital", "病院"
        CLINIC = "clinic", "診療所"
        DENTAL_CLINIC = "dental_clinic", "歯科診療所"
        PHARMACY = "pharmacy", "薬局"
        VISITING_NURSE_STATION = "visiting_nurse_station", "訪問看護ステーション"
        CARE_MANAGEMENT_OFFICE = "care_management_office", "居宅介護支援事業所"
        COMMUNITY_SUPPORT_CENTER = "community_support_center", "地域包括支援センター"
        CARE_SERVICE = "care_service", "介護サービス事業所"
        MEDICAL_ASSOCIATION = "medical_association", "医師会"
        MUNICIPAL_OFFICE = "municipal_office", "市町村（役所・役場）"
        FIRE_DEPARTMENT = "fire_department", "消防本部・消防署"
        POLICE_STATION = "police_station", "警察署"
        OTHER = "other", "その他"

    name = models.CharField("名称", max_length=200)
    kana = models.CharField("ふりがな", max_length=200, blank=True)
    kind = models.CharField("種別", max_length=40, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="organizations", verbose_name="所在市町村"
    )
    search_text = models.CharField(max_length=500, editable=False, default="")
    is_active = models.BooleanField("有効", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "組織"
        verbose_name_plural = "組織"
        ordering = ["municipality__code", "kana", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="organization_unique_name_in_municipality"
            )
        ]
        indexes = [models.Index(fields=["municipality", "kind"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = normalize(f"{self.name} {self.kana}")
        super().save(*args, **kwargs)


class RenkeiUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", User.Role.REGION_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. What they may do follows from ``role`` and ``organization`` only,
    through :mod:`renkei.core.permissions`."""

    class Role(models.TextChoices):
        REGION_ADMIN = "region_admin", "圏域管理者"
        MUNICIPALITY_STAFF = "municipality_staff", "市町村職員"
        PROFESSIONAL = "professional", "専門職・事業所職員"
        # Reads the 救急医療情報キット of consenting residents of the municipalities that granted
        # their agency access, and nothing else (renkei.core.permissions.emergency_services).
        EMERGENCY_SERVICES = "emergency_services", "消防・警察"

    class Profession(models.TextChoices):
        PHYSICIAN = "physician", "医師"
        DENTIST = "dentist", "歯科医師"
        PHARMACIST = "pharmacist", "薬剤師"
        NURSE = "nurse", "看護師"
        THERAPIST = "therapist", "理学療法士・作業療法士"
        CARE_MANAGER = "care_manager", "介護支援専門員"
        SOCIAL_WORKER = "social_worker", "社会福祉士"
        CARE_WORKER = "care_worker", "介護職"
        CLERK = "clerk", "事務"
        OTHER = "other", "その他"

    # One full name instead of AbstractUser's two: Django documents removing a field by setting it to None.
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField("氏名", max_length=100, blank=True)
    full_name_kana = models.CharField("氏名（ふりがな）", max_length=100, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="members",
        verbose_name="所属組織",
    )  # fmt: skip
    role = models.CharField("役割", max_length=30, choices=Role.choices, default=Role.PROFESSIONAL)
    profession = models.CharField("職種", max_length=30, choices=Profession.choices, blank=True)

    objects: ClassVar[RenkeiUserManager] = RenkeiUserManager()
    REQUIRED_FIELDS: ClassVar[list[str]] = ["email"]

    class Meta:
        verbose_name = "利用者アカウント"
        verbose_name_plural = "利用者アカウント"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_session_auth_hash(self) -> str:
        """Django ends every session whose stored hash no longer matches: as after a new password,
        a session also ends when the person's role or organisation changes, so what they may do is
        never carried over from a session that began under other rights (they log in again)."""
        return salted_hmac(
            "renkei.core.models.User.get_session_auth_hash",
            f"{self.password}\x1f{self.role}\x1f{self.organization_id}",
            algorithm="sha256",
        ).hexdigest()

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role in (self.Role.REGION_ADMIN, self.Role.MUNICIPALITY_STAFF) and not self.organization_id:
            raise ValidationError({"organization": "圏域管理者と市町村職員には所属組織が必要です。"})
        if (
            self.role == self.Role.MUNICIPALITY_STAFF
            and self.organization is not None
            and self.organization.kind
            not in (Organization.Kind.MUNICIPAL_OFFICE, Organization.Kind.COMMUNITY_SUPPORT_CENTER)
        ):
            raise ValidationError(
                {
                    "organization": "市町村職員の所属は市町村（役所・役場）か地域包括支援センターにしてください。"
                }
            )
        if self.role == self.Role.EMERGENCY_SERVICES and (
            self.organization is None
            or self.organization.kind
            not in (Organization.Kind.FIRE_DEPARTMENT, Organization.Kind.POLICE_STATION)
        ):
            raise ValidationError(
                {"organization": "消防・警察のアカウントの所属は消防本部か警察署にしてください。"}
            )


class AccessLog(models.Model):
    """One row per read or change of personal data (patient records, consultation summaries…).

    Rows are written by :func:`renkei.core.audit.record_access` and never updated. They name the
    subject by type and id only, so the log itself holds no health information.
    """

    class Action(models.TextChoices):
        VIEW = "view", "閲覧"
        CREATE = "create", "作成"
        UPDATE = "update", "変更"
        DELETE = "delete", "削除"
        DOWNLOAD = "download", "ダウンロード"
        PRINT = "print", "印刷・PDF"
        EXPORT = "export", "出力"
        BREAK_GLASS = "break_glass", "緊急アクセス"
        DENIED = "denied", "拒否"

    at = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="利用者"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所属",
    )
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    subject_type = models.CharField("対象の種類", max_length=40)
    subject_id = models.CharField("対象ID", max_length=40)
    object_type = models.CharField("操作したもの", max_length=40, blank=True)
    object_id = models.CharField("操作したもののID", max_length=40, blank=True)
    ip_address = models.GenericIPAddressField("IPアドレス", null=True, blank=True)
    via = models.CharField("経路", max_length=10, default="web")
    flagged = models.BooleanField("要確認", default=False)
    reason = models.TextField("理由", blank=True)

    class Meta:
        verbose_name = "アクセス記録"
        verbose_name_plural = "アクセス記録"
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-at"]),
            models.Index(fields=["user", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.subject_type}#{self.subject_id}"

    @property
    def object_label(self) -> str:
        return audit_labels.object_label(self.object_type, self.object_id)

    @property
    def object_kind_label(self) -> str:
        return audit_labels.kind_label(self.object_type)

    @property
    def subject_kind_label(self) -> str:
        return audit_labels.kind_label(self.subject_type)

    @property
    def via_label(self) -> str:
        return audit_labels.via_label(self.via)


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the token is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="利用者")
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("有効期限", null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "APIトークン"
        verbose_name_plural = "APIトークン"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class PasswordResetRequest(models.Model):
    """One request for a password-reset mail, kept a day to limit how often one address or one client
    may ask (see :mod:`renkei.core.accounts`). The address is stored as a hash only."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    email_digest = models.CharField(max_length=64)
    client_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["email_digest", "at"]),
            models.Index(fields=["client_address", "at"]),
        ]

    def __str__(self) -> str:
        return f"パスワード再設定の依頼 {self.at:%Y-%m-%d %H:%M}"


class PublicDataVersion(models.Model):
    """A counter per kind of public data, raised in the transaction of every write to it: the key of
    the anonymous page cache (``core/public_cache.py``), shared by every worker and node."""

    name = models.CharField("対象", max_length=50, primary_key=True)
    version = models.BigIntegerField("版", default=0)

    class Meta:
        verbose_name = "公開データの版"
        verbose_name_plural = "公開データの版"

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
