"""入退院 coordination (旧ウ・旧エ): admission episodes of a care-team patient, the region's rule for
their deadlines, and the reminders sent about them.

Who may see an episode is decided in :mod:`renkei.core.permissions.transitions` (the patient's care
team, and the hospital liaison staff the episode names); the rules live in
:mod:`renkei.transitions.services`.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q

from renkei.core.business_days import ADMINISTRATIVE, WEEKENDS_AND_HOLIDAYS, BusinessCalendar
from renkei.core.models import Region


class TransitionRule(models.Model):
    """A region's 入退院調整ルール. A region without a row follows the defaults below: the
    入院時情報連携加算's deadlines and a contact three business days before discharge."""

    class Calendar(models.TextChoices):
        ADMINISTRATIVE = "administrative", "土日・祝日・年末年始（12月29日〜1月3日）を除く"
        WEEKENDS_AND_HOLIDAYS = "weekends_and_holidays", "土日・祝日を除く"

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="transition_rule")
    office_opens = models.TimeField("居宅介護支援事業所の営業開始", default=time(8, 30))
    office_closes = models.TimeField("営業終了", default=time(17, 30))
    admission_sheet_days = models.PositiveSmallIntegerField(
        "入院時情報提供の期限（入院日の何日後まで）",
        default=2,
        help_text="既定は入院時情報連携加算（Ⅱ）の「入院日の翌々日まで」。",
    )
    admission_sheet_business_days = models.BooleanField(
        "入院時情報提供の期限を営業日で数える", default=False, help_text="加算は暦日で数えます。"
    )
    discharge_contact_days = models.PositiveSmallIntegerField(
        "病院からケアマネジャーへの連絡（退院予定日の何営業日前まで）", default=3
    )
    calendar = models.CharField(
        "営業日の数え方", max_length=30, choices=Calendar.choices, default=Calendar.ADMINISTRATIVE
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "入退院調整ルール"
        verbose_name_plural = "入退院調整ルール"

    def __str__(self) -> str:
        return f"入退院調整ルール #{self.pk}"

    @property
    def business_calendar(self) -> BusinessCalendar:
        if self.calendar == self.Calendar.WEEKENDS_AND_HOLIDAYS:
            return WEEKENDS_AND_HOLIDAYS
        return ADMINISTRATIVE


class EpisodeStatus(models.TextChoices):
    ADMITTED = "admitted", "入院中"
    PLANNING = "planning", "退院調整中"
    DISCHARGED = "discharged", "退院済"
    TRANSFERRED = "transferred", "転院"
    DIED = "died", "死亡退院"


OPEN_STATUSES = (EpisodeStatus.ADMITTED, EpisodeStatus.PLANNING)


class Episode(models.Model):
    """One stay in hospital of a care-team patient. The deadlines are stored (computed from the
    region's rule when the dates change) so that the overdue dashboard is one indexed query."""

    patient = models.ForeignKey(
        "sharing.Patient", on_delete=models.CASCADE, related_name="admission_episodes", verbose_name="利用者"
    )
    hospital_facility = models.ForeignKey(
        "directory.Facility",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="病院（施設・資源から選択）",
    )
    # The hospital's name as shown (the facility's name, or free text for one not in the directory).
    hospital_name = models.CharField("病院名", max_length=200)
    ward = models.CharField("病棟", max_length=100, blank=True)
    admitted_at = models.DateTimeField("入院日時")
    expected_discharge = models.DateField("退院予定日", null=True, blank=True)
    discharged_on = models.DateField("退院日", null=True, blank=True)
    status = models.CharField(
        "状況", max_length=20, choices=EpisodeStatus.choices, default=EpisodeStatus.ADMITTED
    )
    liaison_name = models.CharField("地域連携室の担当者", max_length=100, blank=True)
    liaison_phone = models.CharField("地域連携室の電話番号", max_length=20, blank=True)
    liaison_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaison_episodes",
        verbose_name="地域連携室の担当者（Renkeiの利用者）",
    )
    care_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_manager_episodes",
        verbose_name="担当ケアマネジャー",
    )
    admission_bonus_due = models.DateField("入院時情報連携加算（Ⅰ）の期限")
    admission_info_due = models.DateField("入院時情報提供の期限")
    admission_info_sent_at = models.DateTimeField("入院時情報を提供した日時", null=True, blank=True)
    discharge_contact_due = models.DateField("退院前の連絡の期限", null=True, blank=True)
    discharge_contacted_at = models.DateTimeField("病院から連絡を受けた日時", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "入院"
        verbose_name_plural = "入院"
        ordering = ["-admitted_at", "-pk"]
        indexes = [
            models.Index(fields=["patient", "-admitted_at"]),
            # The overdue dashboard and the reminders: open items by their deadline.
            models.Index(
                fields=["admission_info_due"],
                condition=Q(admission_info_sent_at__isnull=True, status__in=OPEN_STATUSES),
                name="episode_admission_open_idx",
            ),
            models.Index(
                fields=["discharge_contact_due"],
                condition=Q(discharge_contacted_at__isnull=True, status__in=OPEN_STATUSES),
                name="episode_discharge_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"入院 #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReminderKind(models.TextChoices):
    ADMISSION_INFO = "admission_info", "入院時情報提供"
    DISCHARGE_CONTACT = "discharge_contact", "退院前の病院からの連絡"


class EpisodeReminder(models.Model):
    """One reminder about one overdue item to one person, sent under the queue rules of
    :mod:`renkei.core.mail`. A moved deadline is a new item (``due_date`` is part of the key)."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    due_date = models.DateField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "kind", "due_date", "recipient"], name="episode_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"入退院リマインダー #{self.pk}"


class DocumentKind(models.TextChoices):
    ADMISSION_INFO = "admission_info", "入院時情報提供書"
    DISCHARGE_RECORD = "discharge_record", "退院・退所情報記録書"
    # Documents of outside systems, imported from FHIR (JP-CLINS).
    REFERRAL = "referral", "診療情報提供書"
    DISCHARGE_SUMMARY = "discharge_summary", "退院時サマリー"
    PATIENT_SUMMARY = "patient_summary", "患者サマリー"


RENKEI_KINDS = (DocumentKind.ADMISSION_INFO, DocumentKind.DISCHARGE_RECORD)


class TransitionDocument(models.Model):
    """A 入退院 document: written in Renkei (structured after the 厚労省 様式例; ``content`` holds the
    fields of :mod:`renkei.transitions.documents`, with the patient's details as they were when it
    was written), or imported from a FHIR document Bundle (``content`` holds what was read)."""

    class Source(models.TextChoices):
        RENKEI = "renkei", "Renkeiで作成"
        FHIR = "fhir", "FHIRで取込"

    patient = models.ForeignKey(
        "sharing.Patient", on_delete=models.CASCADE, related_name="transition_documents"
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField("種類", max_length=30, choices=DocumentKind.choices)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.RENKEI)
    content = models.JSONField(default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField("送付日時", null=True, blank=True)
    # The FHIR Bundle's identifier (export: ours; import: the sender's), for the round trip.
    bundle_identifier = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "入退院の文書"
        verbose_name_plural = "入退院の文書"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["patient", "-created_at"]), models.Index(fields=["episode", "kind"])]

    def __str__(self) -> str:
        return f"入退院の文書 #{self.pk}"


class DocumentLink(models.Model):
    """A signed, expiring, one-time download link of a document's FHIR Bundle, for a hospital not on
    Renkei (given with the printed PDF). The token names this row; its first download uses it up.
    Before that, the sender or their organisation may revoke it."""

    document = models.ForeignKey(TransitionDocument, on_delete=models.CASCADE, related_name="links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Revoked before its use by the sender or their organisation: refused as an expired link.
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"FHIRダウンロードリンク #{self.pk}"


class SheetDefinition(models.Model):
    """A sheet a region or one municipality defines for its care teams (三戸町の地域連携連絡票, the
    region's 多職種連携シート…). What it asks lives in its versions; exactly one owner is set."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="圏域"
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="市町村",
    )
    key = models.SlugField("識別名", max_length=50)
    name = models.CharField("シート名", max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "連携シートの様式"
        verbose_name_plural = "連携シートの様式"
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, municipality__isnull=True)
                | Q(region__isnull=True, municipality__isnull=False),
                name="sheet_definition_one_owner",
            ),
            models.UniqueConstraint(
                fields=["region", "key"], condition=Q(region__isnull=False), name="sheet_key_per_region"
            ),
            models.UniqueConstraint(
                fields=["municipality", "key"],
                condition=Q(municipality__isnull=False),
                name="sheet_key_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"連携シートの様式 #{self.pk}"

    @property
    def owner_name(self) -> str:
        owner = self.region if self.region_id is not None else self.municipality
        return str(owner)


class SheetStatus(models.TextChoices):
    DRAFT = "draft", "下書き"
    PUBLISHED = "published", "公開中"
    SUPERSEDED = "superseded", "旧版（記入済みのシートの表示のみ）"


class SheetVersion(models.Model):
    """One version of a sheet: its fields, in order (a list validated by
    :data:`renkei.transitions.sheets.schema.DEFINITION_SCHEMA`). A draft may change; publishing
    freezes it and supersedes the version published before, whose filled sheets keep pointing at
    it and show with its fields."""

    definition = models.ForeignKey(SheetDefinition, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("版")
    status = models.CharField("状態", max_length=20, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    fields = models.JSONField("項目", default=list)
    published_at = models.DateTimeField("公開日時", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "連携シートの版"
        verbose_name_plural = "連携シートの版"
        constraints = [
            models.UniqueConstraint(fields=["definition", "number"], name="sheet_version_number_once"),
            models.UniqueConstraint(
                fields=["definition"], condition=Q(status="published"), name="sheet_one_published_version"
            ),
            models.UniqueConstraint(
                fields=["definition"], condition=Q(status="draft"), name="sheet_one_draft_version"
            ),
        ]

    def __str__(self) -> str:
        return f"連携シートの版 #{self.pk}"


class FilledSheet(models.Model):
    """A sheet filled on a patient's timeline: the post carries it, the answers are checked against
    the version's JSON Schema when written."""

    post = models.OneToOneField("sharing.Post", on_delete=models.CASCADE, related_name="filled_sheet")
    version = models.ForeignKey(SheetVersion, on_delete=models.PROTECT, related_name="filled")
    answers = models.JSONField("回答", default=dict)

    class Meta:
        verbose_name = "記入済みの連携シート"
        verbose_name_plural = "記入済みの連携シート"

    def __str__(self) -> str:
        return f"記入済みの連携シート #{self.pk}"

    @property
    def rows(self) -> list:
        """The answers as shown and printed, with the fields of the version it was filled with."""
        from renkei.transitions.sheets.display import rows

        return rows(self.version.fields, self.answers)
