"""Consultation desk records (旧オ 相談支援): one case per consultation, follow-up entries on the case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from renkei.core.models import Municipality, Organization, Region
from renkei.core.text import normalize


class Channel(models.TextChoices):
    PHONE = "phone", "電話"
    VISIT_TO_DESK = "visit_to_desk", "来所"
    HOME_VISIT = "home_visit", "訪問"
    EMAIL = "email", "メール"
    OTHER = "other", "その他"


class RequesterType(models.TextChoices):
    SELF = "self", "本人"
    FAMILY = "family", "家族"
    RESIDENT = "resident", "地域住民"
    WELFARE_COMMISSIONER = "welfare_commissioner", "民生委員"
    MEDICAL_INSTITUTION = "medical_institution", "医療機関"
    CARE_PROVIDER = "care_provider", "介護事業所"
    GOVERNMENT = "government", "行政"
    OTHER = "other", "その他"


class RequesterGroup(models.TextChoices):
    RESIDENT = "resident", "一般住民"
    SUPPORT_ORGANIZATION = "support_organization", "支援機関"


# The split the municipalities report to the 運営協議会 (e.g. 八戸市 一般住民17件・支援機関12件).
# 民生委員 act for the community's support network, so they count with the 支援機関.
REQUESTER_GROUP: dict[str, str] = {
    RequesterType.SELF: RequesterGroup.RESIDENT,
    RequesterType.FAMILY: RequesterGroup.RESIDENT,
    RequesterType.RESIDENT: RequesterGroup.RESIDENT,
    RequesterType.OTHER: RequesterGroup.RESIDENT,
    RequesterType.WELFARE_COMMISSIONER: RequesterGroup.SUPPORT_ORGANIZATION,
    RequesterType.MEDICAL_INSTITUTION: RequesterGroup.SUPPORT_ORGANIZATION,
    RequesterType.CARE_PROVIDER: RequesterGroup.SUPPORT_ORGANIZATION,
    RequesterType.GOVERNMENT: RequesterGroup.SUPPORT_ORGANIZATION,
}


class Response(models.TextChoices):
    INFORMATION = "information", "情報提供"
    REFERRAL = "referral", "関係機関紹介"
    HOME_VISIT = "home_visit", "訪問"
    ACCOMPANIMENT = "accompaniment", "同行"
    CONFERENCE = "conference", "カンファレンス調整"
    OTHER = "other", "その他"


class Status(models.TextChoices):
    CONTINUING = "continuing", "継続"
    CLOSED = "closed", "終結"


class AgeBand(models.TextChoices):
    UNDER_40 = "under_40", "40歳未満"
    FROM_40_TO_64 = "40_64", "40〜64歳"
    FROM_65_TO_74 = "65_74", "65〜74歳"
    FROM_75_TO_84 = "75_84", "75〜84歳"
    FROM_85 = "85_over", "85歳以上"
    UNKNOWN = "unknown", "不明"


class Sex(models.TextChoices):
    FEMALE = "female", "女性"
    MALE = "male", "男性"
    UNKNOWN = "unknown", "不明・その他"


class ConsultationCategory(models.Model):
    """A content category (相談内容区分); each region keeps its own list. Deactivated categories stay
    on old records and in their statistics but are not offered for new ones."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="consultation_categories", verbose_name="圏域"
    )
    name = models.CharField("区分名", max_length=100)
    order = models.PositiveIntegerField("表示順", default=0)
    is_active = models.BooleanField("使用中", default=True)

    class Meta:
        verbose_name = "相談内容区分"
        verbose_name_plural = "相談内容区分"
        ordering = ["region", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="consultation_category_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


def local_date(moment):
    return timezone.localtime(moment).date()


class Consultation(models.Model):
    """One consultation case received by a desk (相談窓口), with its first response."""

    desk = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="consultations", verbose_name="相談窓口"
    )
    received_at = models.DateTimeField("受付日時")
    # Local (Asia/Tokyo) date and month of received_at, kept so that period filters and the monthly
    # statistics are plain indexed columns instead of per-row time-zone conversions.
    received_on = models.DateField("受付日", editable=False)
    received_month = models.PositiveIntegerField("受付年月", editable=False)  # YYYYMM
    channel = models.CharField("相談経路", max_length=20, choices=Channel.choices)
    requester_type = models.CharField("相談者", max_length=30, choices=RequesterType.choices)
    requester_facility = models.ForeignKey(
        "directory.Facility", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="相談者の所属機関",
    )  # fmt: skip
    requester_institution = models.CharField("相談者の所属機関（名称）", max_length=200, blank=True)
    requester_institution_key = models.CharField(max_length=200, blank=True, editable=False)
    subject_age_band = models.CharField(
        "本人の年代", max_length=20, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    subject_sex = models.CharField("本人の性別", max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    subject_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="本人の住所（市町村）",
    )  # fmt: skip
    # Only when the person is a registered 利用者 of the care-team sharing app; otherwise the case
    # names no one. SET_NULL: erasing a patient's record leaves the case as an anonymous count.
    patient = models.ForeignKey(
        "sharing.Patient", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="登録利用者",
    )  # fmt: skip
    categories = models.ManyToManyField(
        ConsultationCategory, related_name="consultations", verbose_name="相談内容区分"
    )
    summary = models.TextField("相談内容（要旨）", blank=True)
    response = models.CharField("対応", max_length=20, choices=Response.choices)
    referred_facility = models.ForeignKey(
        "directory.Facility", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="紹介先機関",
    )  # fmt: skip
    referred_institution = models.CharField("紹介先機関（名称）", max_length=200, blank=True)
    referred_institution_key = models.CharField(max_length=200, blank=True, editable=False)
    minutes_spent = models.PositiveIntegerField("対応時間（分）", null=True, blank=True)
    status = models.CharField("状況", max_length=20, choices=Status.choices, default=Status.CLOSED)
    next_action_on = models.DateField("次回対応予定日", null=True, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="担当者",
    )  # fmt: skip
    staff_name = models.CharField("担当者（名前）", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # For a record imported from a tally sheet: a hash of the row's values (and of how many identical
    # rows came before it in the file), so importing the same file again adds nothing.
    import_fingerprint = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = "相談記録"
        verbose_name_plural = "相談記録"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["desk", "received_on"]),
            # Covering indexes for the statistics: each grouped count reads one index and no table rows
            # (on SQLite this halves the 年度 statistics; see benchmarks/consultations.py).
            models.Index(
                fields=[
                    "desk",
                    "received_on",
                    "received_month",
                    "requester_type",
                    "channel",
                    "response",
                    "status",
                ],
                name="consultation_stats_cube_idx",
            ),
            models.Index(
                fields=[
                    "desk",
                    "received_on",
                    "requester_facility",
                    "requester_institution_key",
                    "requester_institution",
                ],
                name="consultation_stats_req_idx",
            ),
            models.Index(
                fields=[
                    "desk",
                    "received_on",
                    "referred_facility",
                    "referred_institution_key",
                    "referred_institution",
                ],
                name="consultation_stats_ref_idx",
            ),
            models.Index(fields=["received_on"]),
            models.Index(fields=["desk", "status", "next_action_on"]),
            models.Index(fields=["desk", "-received_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "import_fingerprint"],
                condition=~models.Q(import_fingerprint=""),
                name="consultation_unique_import_row",
            )
        ]

    def __str__(self) -> str:
        return f"相談 #{self.pk}"

    def save(self, *args, **kwargs):
        self.set_derived_fields()
        super().save(*args, **kwargs)

    def set_derived_fields(self) -> None:
        day = local_date(self.received_at)
        self.received_on = day
        self.received_month = day.year * 100 + day.month
        self.requester_institution_key = (
            "" if self.requester_facility_id else normalize(self.requester_institution)
        )
        self.referred_institution_key = (
            "" if self.referred_facility_id else normalize(self.referred_institution)
        )

    @property
    def requester_group(self) -> str:
        return REQUESTER_GROUP[self.requester_type]

    @property
    def requester_group_label(self) -> str:
        return str(RequesterGroup(self.requester_group).label)

    @property
    def requester_institution_name(self) -> str:
        facility = self.requester_facility
        return facility.name if facility is not None else self.requester_institution

    @property
    def referred_institution_name(self) -> str:
        facility = self.referred_facility
        return facility.name if facility is not None else self.referred_institution

    @property
    def staff_display(self) -> str:
        return str(self.staff) if self.staff_id else self.staff_name


class FollowUp(models.Model):
    """A later contact on the same case (継続対応)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="follow_ups", verbose_name="相談記録"
    )
    occurred_at = models.DateTimeField("対応日時")
    channel = models.CharField("経路", max_length=20, choices=Channel.choices)
    response = models.CharField("対応", max_length=20, choices=Response.choices)
    summary = models.TextField("対応内容（要旨）", blank=True)
    minutes_spent = models.PositiveIntegerField("対応時間（分）", null=True, blank=True)
    status = models.CharField("対応後の状況", max_length=20, choices=Status.choices)
    next_action_on = models.DateField("次回対応予定日", null=True, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="担当者",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "継続対応"
        verbose_name_plural = "継続対応"
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["consultation", "occurred_at"]), models.Index(fields=["occurred_at"])]

    def __str__(self) -> str:
        return f"継続対応 #{self.pk}"
