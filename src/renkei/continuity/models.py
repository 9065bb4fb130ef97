"""Nights, holidays and emergencies (旧ウ): on-call rotas, each patient's contact path, ACP records and
the printed 救急医療情報キット.

Who may see and change what is decided in :mod:`renkei.core.permissions.continuity` (on top of the
care-team rules of :mod:`renkei.core.permissions.sharing`); the rules live in
:mod:`renkei.continuity.services`. Every time is Asia/Tokyo.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from renkei.core.models import Organization


class DayKind(models.IntegerChoices):
    """A rota slot's day. 祝日 has its own kind: on a 祝日 a rota that has 祝日 slots uses them instead
    of that weekday's."""

    MONDAY = 0, "月曜"
    TUESDAY = 1, "火曜"
    WEDNESDAY = 2, "水曜"
    THURSDAY = 3, "木曜"
    FRIDAY = 4, "金曜"
    SATURDAY = 5, "土曜"
    SUNDAY = 6, "日曜"
    HOLIDAY = 7, "祝日"


class OnCallRota(models.Model):
    """An organisation's weekly on-call pattern (当番表), valid over a span of days."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="on_call_rotas", verbose_name="組織"
    )
    name = models.CharField("当番表の名前", max_length=100)
    valid_from = models.DateField("適用開始日")
    valid_until = models.DateField("適用終了日", null=True, blank=True, help_text="空欄なら終了日なし")
    note = models.TextField("備考", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "当番表"
        verbose_name_plural = "当番表"
        ordering = ["organization_id", "valid_from", "pk"]
        indexes = [models.Index(fields=["organization", "valid_from"])]

    def __str__(self) -> str:
        return self.name


class RotaSlot(models.Model):
    """One weekly duty: ``day`` from ``starts`` to ``ends``; an end at or before the start is the
    next morning (a night duty 17:30–翌8:30)."""

    rota = models.ForeignKey(OnCallRota, on_delete=models.CASCADE, related_name="slots")
    day = models.PositiveSmallIntegerField("曜日", choices=DayKind.choices)
    starts = models.TimeField("開始")
    ends = models.TimeField("終了", help_text="開始より前（または同じ）なら翌日の時刻")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="当番"
    )

    class Meta:
        verbose_name = "当番枠"
        verbose_name_plural = "当番枠"
        ordering = ["day", "starts", "pk"]

    def __str__(self) -> str:
        return f"当番枠 #{self.pk}"


class RotaException(models.Model):
    """A change to the pattern (休み, 交代) from ``starts_at`` to ``ends_at``: while it lasts it replaces
    the weekly slots; ``user`` empty means nobody is on duty then (shown as a gap)."""

    rota = models.ForeignKey(OnCallRota, on_delete=models.CASCADE, related_name="exceptions")
    starts_at = models.DateTimeField("開始日時")
    ends_at = models.DateTimeField("終了日時")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="代わりの当番",
        help_text="空欄なら、その間は当番なし",
    )
    note = models.CharField("理由・メモ", max_length=200, blank=True)

    class Meta:
        verbose_name = "当番表の例外"
        verbose_name_plural = "当番表の例外"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["rota", "starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"当番表の例外 #{self.pk}"


class StepKind(models.TextChoices):
    MEMBER = "member", "ケアチームのメンバー"
    ON_CALL = "on_call", "組織の当番（当番表）"
    FACILITY = "facility", "施設・資源の24時間連絡先"
    EMERGENCY = "emergency", "救急（119番）"


class ContactStep(models.Model):
    """One step of a patient's contact path for nights, holidays and sudden change, in order."""

    patient = models.ForeignKey(
        "sharing.Patient", on_delete=models.CASCADE, related_name="contact_steps", verbose_name="利用者"
    )
    position = models.PositiveSmallIntegerField("順番")
    kind = models.CharField("連絡先の種類", max_length=20, choices=StepKind.choices)
    member = models.ForeignKey(
        "sharing.CareTeamMembership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="メンバー",
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="当番のある組織",
    )
    facility = models.ForeignKey(
        "directory.Facility",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="施設・資源",
    )
    phone = models.CharField("電話番号", max_length=20, blank=True, help_text="この段階でかける番号")
    instructions = models.TextField("この段階ですること", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "連絡経路の段階"
        verbose_name_plural = "連絡経路"
        ordering = ["patient_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "position"], name="contact_step_position_unique")
        ]

    def __str__(self) -> str:
        return f"連絡経路の段階 #{self.pk}"


class LifeSustaining(models.TextChoices):
    WANTS = "wants", "希望する"
    LIMITED = "limited", "一部希望する（内容は補足へ）"
    DECLINES = "declines", "希望しない"
    UNDECIDED = "undecided", "決めていない・話し合い中"


class AcpRecord(models.Model):
    """One 人生会議 (ACP) discussion: the patient's wishes as they stood that day, with a review date."""

    patient = models.ForeignKey(
        "sharing.Patient", on_delete=models.CASCADE, related_name="acp_records", verbose_name="利用者"
    )
    discussed_on = models.DateField("話し合った日")
    participants = models.TextField("参加者", help_text="本人・家族・職種など")
    place_of_care = models.CharField("望む療養の場所", max_length=200, blank=True)
    place_of_death = models.CharField("望む最期の場所", max_length=200, blank=True)
    life_sustaining = models.CharField(
        "延命治療（心肺蘇生・人工呼吸など）", max_length=20, choices=LifeSustaining.choices
    )
    life_sustaining_note = models.TextField("延命治療の補足", blank=True)
    surrogate = models.CharField(
        "本人が決められないときに決める人", max_length=200, blank=True, help_text="氏名・続柄"
    )
    what_matters = models.TextField("大切にしていること", blank=True)
    review_on = models.DateField("見直し日")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "人生会議（ACP）の記録"
        verbose_name_plural = "人生会議（ACP）の記録"
        ordering = ["-discussed_on", "-pk"]
        indexes = [models.Index(fields=["patient", "-discussed_on"]), models.Index(fields=["review_on"])]

    def __str__(self) -> str:
        return f"人生会議の記録 #{self.pk}"


class AcpReminder(models.Model):
    """One mail to one team member that the review date of a patient's latest 人生会議 has passed,
    sent under the queue rules of :mod:`renkei.core.mail`. A new review date is a new reminder
    (``review_on`` is part of the key)."""

    acp_record = models.ForeignKey(AcpRecord, on_delete=models.CASCADE, related_name="reminders")
    review_on = models.DateField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["acp_record", "review_on", "recipient"], name="acp_reminder_once")
        ]

    def __str__(self) -> str:
        return f"人生会議の見直しリマインダー #{self.pk}"


class KitPrint(models.Model):
    """A printed 救急医療情報キット: what it showed (to tell the team when to reprint) and its code."""

    patient = models.ForeignKey(
        "sharing.Patient", on_delete=models.CASCADE, related_name="kit_prints", verbose_name="利用者"
    )
    version_code = models.CharField("版コード", max_length=9)
    values = models.JSONField("印刷した内容")
    printed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    printed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "救急医療情報キットの印刷"
        verbose_name_plural = "救急医療情報キットの印刷"
        ordering = ["-printed_at", "-pk"]
        indexes = [models.Index(fields=["patient", "-printed_at"])]

    def __str__(self) -> str:
        return f"キット印刷 #{self.pk}"


class BloodType(models.TextChoices):
    UNKNOWN = "", "不明"
    A_POS = "A+", "A型 Rh+"
    A_NEG = "A-", "A型 Rh-"
    B_POS = "B+", "B型 Rh+"
    B_NEG = "B-", "B型 Rh-"
    O_POS = "O+", "O型 Rh+"
    O_NEG = "O-", "O型 Rh-"
    AB_POS = "AB+", "AB型 Rh+"
    AB_NEG = "AB-", "AB型 Rh-"


class KitProfile(models.Model):
    """What the 救急医療情報キット shows beyond the shared record (the record has no blood type)."""

    patient = models.OneToOneField(
        "sharing.Patient", on_delete=models.CASCADE, related_name="kit_profile", verbose_name="利用者"
    )
    blood_type = models.CharField("血液型", max_length=3, choices=BloodType.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "救急医療情報キットの追加情報"
        verbose_name_plural = "救急医療情報キットの追加情報"

    def __str__(self) -> str:
        return f"キットの追加情報 #{self.pk}"


class ElderlyPopulation(models.Model):
    """A municipality's residents aged 65+ in a year, entered by its staff with the figure's source."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name="市町村"
    )
    year = models.PositiveSmallIntegerField("年")
    aged_65_plus = models.PositiveIntegerField("65歳以上人口")
    source = models.CharField("出典", max_length=200, help_text="例: 住民基本台帳（1月1日現在）")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "65歳以上人口"
        verbose_name_plural = "65歳以上人口"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="elderly_population_once_a_year")
        ]

    def __str__(self) -> str:
        return f"65歳以上人口 #{self.pk}"


class EmergencyServicesConsent(models.Model):
    """The resident's consent to 消防・警察への提供 (三戸町's 要援護者台帳): while in force, agencies
    granted access by the resident's municipality read the 救急医療情報キット. A purpose of its own,
    beside the care-team consent of :class:`renkei.sharing.models.Consent`: withdrawing one leaves the
    other as it is. Withdrawal ends access at once (access is decided on every request)."""

    patient = models.ForeignKey(
        "sharing.Patient",
        on_delete=models.CASCADE,
        related_name="emergency_services_consents",
        verbose_name="利用者",
    )
    given_by = models.CharField("同意した人（氏名）", max_length=100)
    relationship = models.CharField("本人との関係", max_length=50, default="本人")
    given_on = models.DateField("同意日")
    method = models.CharField(
        "方法", max_length=10, choices=[("written", "書面"), ("oral", "口頭")], default="written"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "消防・警察への提供の同意"
        verbose_name_plural = "消防・警察への提供の同意"
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["patient", "withdrawn_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="emergency_services_consent_one_in_force",
                violation_error_message="消防・警察への提供の同意はすでに記録されています。",
            )
        ]

    def __str__(self) -> str:
        return f"消防・警察への提供の同意 #{self.pk}"


class AgencyGrant(models.Model):
    """A municipality lets a 消防本部 or 警察署 read the kits of its consenting residents, from
    ``starts_at`` until ``ends_at`` (open-ended when empty)."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name="市町村"
    )
    agency = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name="消防本部・警察署"
    )
    starts_at = models.DateTimeField("提供の開始", default=timezone.now)
    ends_at = models.DateTimeField("提供の終了", null=True, blank=True, help_text="空欄なら終了日なし")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="許可した人"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "消防・警察への提供の許可"
        verbose_name_plural = "消防・警察への提供の許可"
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["agency", "municipality", "starts_at"])]

    def __str__(self) -> str:
        return f"提供の許可 #{self.pk}"


class LivingArea(models.Model):
    """A municipality's 日常生活圏域 and the 町字 (大字 or 町, as in the town data) it contains,
    kept by the municipality's staff; the cover table counts facilities per 圏域 with it."""

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name="市町村"
    )
    name = models.CharField("日常生活圏域", max_length=100)
    towns = models.JSONField("含まれる町字", default=list)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "日常生活圏域"
        verbose_name_plural = "日常生活圏域"
        ordering = ["municipality__code", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="living_area_name_once")]

    def __str__(self) -> str:
        return self.name


class CoverCount(models.Model):
    """How many open facilities of a municipality's 町字 ("" = not known) are in one state of one
    capability — the cover table's summary, kept in step with the directory (``services.cover_summary``)
    so that the table reads a few thousand rows instead of every facility."""

    municipality = models.ForeignKey("core.Municipality", on_delete=models.CASCADE, related_name="+")
    town = models.CharField(max_length=100, blank=True)
    capability = models.CharField(max_length=40)
    state = models.CharField(max_length=7)  # "true", "false", "unknown"
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "town", "capability", "state"], name="cover_count_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.town or '不明'} {self.capability} {self.state}: {self.count}"
