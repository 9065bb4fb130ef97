"""Care-team information sharing (旧エ): patients, consent, care teams, the timeline and its files.

Who may see what is decided in :mod:`renkei.core.permissions` (section "care-team sharing");
the rules that change data live in :mod:`renkei.sharing.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from renkei.core.models import Municipality, Organization
from renkei.directory.catalog import CAPABILITIES

insurance_number_validator = RegexValidator(
    r"^\d{10}$", "介護保険被保険者番号は10桁の数字で入力してください。", code="invalid_insurance_number"
)


class CareLevel(models.TextChoices):
    SUPPORT_1 = "support_1", "要支援1"
    SUPPORT_2 = "support_2", "要支援2"
    CARE_1 = "care_1", "要介護1"
    CARE_2 = "care_2", "要介護2"
    CARE_3 = "care_3", "要介護3"
    CARE_4 = "care_4", "要介護4"
    CARE_5 = "care_5", "要介護5"
    NOT_APPLICABLE = "not_applicable", "非該当"
    APPLYING = "applying", "申請中"
    NOT_APPLIED = "not_applied", "未申請"


def covers(scope_roles: list[str], team_role: str) -> bool:
    """A consent whose scope names no role covers the whole care team."""
    return not scope_roles or team_role in scope_roles


class Patient(models.Model):
    """A 利用者 whose care team shares information here."""

    class Sex(models.TextChoices):
        FEMALE = "female", "女性"
        MALE = "male", "男性"
        OTHER = "other", "その他・回答しない"

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="登録した組織"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登録者"
    )
    full_name = models.CharField("氏名", max_length=100)
    full_name_kana = models.CharField("氏名（ふりがな）", max_length=100)
    kana_key = models.CharField(max_length=100, editable=False, default="")
    birth_date = models.DateField("生年月日")
    sex = models.CharField("性別", max_length=10, choices=Sex.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name="住所地の市町村"
    )
    address = models.CharField("住所", max_length=300, blank=True)
    insurance_number = models.CharField(
        "介護保険被保険者番号", max_length=10, blank=True, validators=[insurance_number_validator]
    )
    care_level = models.CharField(
        "要介護度", max_length=20, choices=CareLevel.choices, default=CareLevel.NOT_APPLIED
    )
    physician_facility = models.ForeignKey(
        "directory.Facility",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="かかりつけ医（施設・資源から選択）",
    )
    physician_text = models.CharField("かかりつけ医（自由記入）", max_length=200, blank=True)
    emergency_contacts = models.TextField("緊急連絡先", blank=True)
    conditions = models.TextField("主な疾患・状態", blank=True)
    allergies = models.TextField("アレルギー", blank=True)
    medications = models.TextField("服薬", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_post_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "利用者"
        verbose_name_plural = "利用者"
        indexes = [models.Index(fields=["kana_key", "birth_date"])]

    def __str__(self) -> str:
        return f"利用者 #{self.pk}"

    def save(self, *args, **kwargs):
        from renkei.core.text import normalize

        self.kana_key = normalize(self.full_name_kana).replace(" ", "")
        super().save(*args, **kwargs)

    @property
    def physician_label(self) -> str:
        if self.physician_facility is not None:
            return self.physician_facility.name
        return self.physician_text


class DuplicateCheck(models.Model):
    """One duplicate check before a registration, kept to bound how many a person may run a day:
    each answer tells whether the region holds a record of someone (see
    :func:`renkei.sharing.services.is_possible_duplicate`). Nothing of the person looked for."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"重複確認 #{self.pk}"


class Consent(models.Model):
    """The patient's or family's consent to share the record with the care team."""

    class Method(models.TextChoices):
        WRITTEN = "written", "書面"
        ORAL = "oral", "口頭"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField("同意した人（氏名）", max_length=100)
    relationship = models.CharField("本人との関係", max_length=50, default="本人")
    given_on = models.DateField("同意日")
    method = models.CharField("方法", max_length=10, choices=Method.choices)
    scope_roles = models.JSONField(
        "共有してよい役割",
        default=list,
        blank=True,
        help_text="選ばなければケアチームの全員と共有します。登録組織のメンバーはいつでも見られます。",
    )
    scope = models.TextField(
        "同意の範囲（補足）", blank=True, help_text="共有してよい組織などの補足（例: 〇〇病院を除く）"
    )
    scan = models.CharField(max_length=200, blank=True, editable=False)
    scan_content_type = models.CharField(max_length=50, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.TextField("撤回の経緯", blank=True)

    class Meta:
        verbose_name = "同意"
        verbose_name_plural = "同意"
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["patient", "withdrawn_at"])]
        constraints = [
            # One consent in force per patient: a new scope is recorded after the old one is withdrawn.
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_in_force_per_patient",
                violation_error_message="有効な同意がすでに記録されています。範囲を変えるときは、先に撤回を記録してください。",
            )
        ]

    def __str__(self) -> str:
        return f"同意 #{self.pk}"

    def covers(self, team_role: str) -> bool:
        """Whether a member with ``team_role`` (outside the registering organisation) may see the record."""
        return covers(self.scope_roles, team_role)

    def scope_labels(self) -> list[str]:
        return [str(TeamRole(role).label) for role in self.scope_roles if role in TeamRole.values]


class TeamRole(models.TextChoices):
    PRIMARY_PHYSICIAN = "primary_physician", "主治医"
    BACKUP_PHYSICIAN = "backup_physician", "副主治医"
    VISITING_NURSE = "visiting_nurse", "訪問看護"
    CARE_MANAGER = "care_manager", "ケアマネジャー"
    HOSPITAL_LIAISON = "hospital_liaison", "病院 地域連携室"
    PHARMACIST = "pharmacist", "薬剤師"
    COMMUNITY_SUPPORT_CENTER = "community_support_center", "地域包括支援センター"
    CARE_SERVICE = "care_service", "介護サービス"
    MUNICIPALITY = "municipality", "行政"
    OTHER = "other", "その他"


class CareTeamMembership(models.Model):
    """A professional on a patient's care team. Leaving keeps the row (history) and ends access.

    ``organization`` is the member's organisation when they joined: the membership gives access only
    while the member still belongs to it (see :mod:`renkei.core.permissions.sharing`)."""

    class EndReason(models.TextChoices):
        LEFT = "left", "脱退"
        REMOVED = "removed", "除外"
        CONSENT_WITHDRAWN = "consent_withdrawn", "同意撤回"
        ORGANIZATION_CHANGED = "organization_changed", "所属の変更によりチームから外れました"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_teams")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="参加時の所属",
    )
    team_role = models.CharField("チームでの役割", max_length=30, choices=TeamRole.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    # Invited by someone else and not yet opened: the invitee's list and start page say so.
    invitation_unseen = models.BooleanField("招待を未確認", default=False)

    class Meta:
        verbose_name = "ケアチームの一員"
        verbose_name_plural = "ケアチーム"
        indexes = [
            models.Index(fields=["user", "left_at", "patient"]),
            models.Index(fields=["patient", "left_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "user"], condition=Q(left_at__isnull=True), name="one_current_membership"
            )
        ]

    def __str__(self) -> str:
        return f"ケアチーム参加 #{self.pk}"

    @property
    def is_current(self) -> bool:
        return self.left_at is None


class EmergencyCategory(models.TextChoices):
    TRANSPORT = "transport", "救急搬送"
    SUDDEN_CHANGE = "sudden_change", "急変時の対応"
    DISASTER = "disaster", "災害時"
    OTHER = "other", "その他"


class EmergencyAccess(models.Model):
    """ "Break the glass": a time-limited look at a record in an emergency, with a category and a
    written reason (the reason may hold health details: only the record's owners read it)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="emergency_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(
        "分類", max_length=20, choices=EmergencyCategory.choices, default=EmergencyCategory.OTHER
    )
    reason = models.TextField("理由")
    starts_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "緊急アクセス"
        verbose_name_plural = "緊急アクセス"
        indexes = [models.Index(fields=["user", "patient", "expires_at"])]

    def __str__(self) -> str:
        return f"緊急アクセス #{self.pk}"


class SharingPolicy(models.Model):
    """A region's settings for care-team sharing."""

    region = models.OneToOneField(
        "core.Region", on_delete=models.CASCADE, related_name="sharing_policy", verbose_name="圏域"
    )
    emergency_accesses_per_day = models.PositiveSmallIntegerField(
        "1人1日あたりの緊急アクセスの上限", default=3, help_text="24時間に開始できる緊急アクセスの数"
    )

    class Meta:
        verbose_name = "ケアチーム共有の設定"
        verbose_name_plural = "ケアチーム共有の設定"

    def __str__(self) -> str:
        return f"ケアチーム共有の設定 #{self.pk}"


class PostCategory(models.TextChoices):
    CONTACT = "contact", "連絡"
    CONDITION_CHANGE = "condition_change", "状態変化"
    VITALS = "vitals", "バイタル"
    MEDICATION = "medication", "服薬"
    VISIT_ADMISSION = "visit_admission", "受診・入退院"
    FAMILY = "family", "家族"
    OTHER = "other", "その他"


class Post(models.Model):
    """A timeline entry; a reply has ``parent`` set. A collaboration sheet is a post with a sheet."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    category = models.CharField("分類", max_length=20, choices=PostCategory.choices)
    urgent = models.BooleanField("至急", default=False)
    body = models.TextField("本文", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "投稿"
        verbose_name_plural = "投稿"
        indexes = [
            # The timeline: top-level posts of one patient, newest first.
            models.Index(
                fields=["patient", "-created_at", "-id"],
                condition=Q(parent__isnull=True),
                name="post_timeline_idx",
            ),
            models.Index(fields=["parent", "created_at"]),
            models.Index(fields=["patient", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"投稿 #{self.pk}"


class PostRead(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="post_read_once")]
        indexes = [models.Index(fields=["user", "post"])]

    def __str__(self) -> str:
        return f"既読 #{self.pk}"


class Attachment(models.Model):
    """A file on a post, stored under MEDIA_ROOT/private (never served by the web server)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    stored_name = models.CharField(max_length=200, unique=True)
    original_name = models.CharField("ファイル名", max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"添付ファイル #{self.pk}"


class AdlLevel(models.TextChoices):
    INDEPENDENT = "independent", "自立"
    SUPERVISION = "supervision", "見守り"
    PARTIAL = "partial", "一部介助"
    FULL = "full", "全介助"


# The medical procedures a 多職種連携シート names: the directory's procedure capabilities (code, label).
PROCEDURE_CHOICES = [(cap.field, cap.label) for cap in CAPABILITIES if cap.kind == "procedure"]
# The 多職種連携シート is now a sheet the region defines (renkei.transitions.sheets) under this key; the
# rows below are the sheets written with the fixed form it replaced, kept readable and printable.
COLLABORATION_SHEET_KEY = "collaboration-sheet"
COLLABORATION_SHEET_NAME = "多職種連携シート"


class CollaborationSheet(models.Model):
    """The 多職種連携シート: a structured note that appears on the timeline and prints as A4."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="sheet")
    recipient = models.CharField("宛先（職種・事業所）", max_length=200, blank=True)
    current_status = models.TextField("現在の状況")
    adl_eating = models.CharField("食事", max_length=20, choices=AdlLevel.choices)
    adl_toileting = models.CharField("排泄", max_length=20, choices=AdlLevel.choices)
    adl_bathing = models.CharField("入浴", max_length=20, choices=AdlLevel.choices)
    adl_mobility = models.CharField("移動", max_length=20, choices=AdlLevel.choices)
    adl_dressing = models.CharField("更衣", max_length=20, choices=AdlLevel.choices)
    adl_notes = models.TextField("ADLの補足", blank=True)
    procedures = models.JSONField("実施中の医療処置", default=list, blank=True)
    procedures_notes = models.TextField("医療処置の補足", blank=True)
    request = models.TextField("依頼・相談したいこと")
    contact_person = models.CharField("連絡担当者", max_length=100)
    contact_phone = models.CharField("連絡先電話番号", max_length=20, blank=True)

    ADL_FIELDS = ["adl_eating", "adl_toileting", "adl_bathing", "adl_mobility", "adl_dressing"]

    def __str__(self) -> str:
        return f"多職種連携シート #{self.pk}"


class NotificationPreference(models.Model):
    """How a professional hears about new posts. Mail never carries personal data."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", "投稿ごとにメールで知らせる"
        DIGEST = "digest", "1日1回まとめて知らせる"
        OFF = "off", "知らせない"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing_notifications"
    )
    mode = models.CharField("メール通知", max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)
    # The digest covers posts after this moment. A run claims the window (covered_until, now] with a
    # conditional UPDATE of digest_claimed_at, so two runs never send the same digest, and moves
    # covered_until only once the mail went: a failing mail server leaves the digest for the next run.
    covered_until = models.DateTimeField(default=timezone.now)
    digest_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The mail server refused the address for good (5xx); that window is not sent again.
    digest_failed_at = models.DateTimeField(null=True, blank=True, editable=False)
    digest_error = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["mode", "covered_until"])]

    def __str__(self) -> str:
        return f"通知設定 #{self.pk}"
