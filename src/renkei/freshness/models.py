"""Freshness of the directory (情報の鮮度): whom to ask (contacts), how often (the region's policy),
the personal update links, the changes waiting for review and the reminders sent.

These tables were created by the directory app and keep their names (``db_table``): the move to this
app changed only Django's bookkeeping, no row (see migration 0001)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from renkei.core.models import Region
from renkei.directory.models import Facility


class FacilityContact(models.Model):
    """An e-mail address of a facility, to which update links and reminders go."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="contacts")
    email = models.EmailField("メールアドレス")
    is_active = models.BooleanField("有効", default=True)
    bounced_at = models.DateTimeField("不達", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "directory_facilitycontact"
        verbose_name = "施設の連絡先メール"
        verbose_name_plural = "施設の連絡先メール"
        constraints = [models.UniqueConstraint(fields=["facility", "email"], name="facility_contact_unique")]
        indexes = [models.Index(fields=["bounced_at"])]

    def __str__(self) -> str:
        return self.email


class FreshnessPolicy(models.Model):
    """How long an entry of a region stays fresh, and when to remind (days relative to the due date)."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="freshness_policy")
    fresh_days = models.PositiveIntegerField("情報の有効日数", default=180)
    acceptance_fresh_days = models.PositiveIntegerField("受入状況の有効日数", default=30)
    reminder_offsets = models.JSONField("催促の時期（期限からの日数）", default=list)
    acceptance_reminder_offsets = models.JSONField("受入状況の催促の時期（期限からの日数）", default=list)

    DEFAULT_OFFSETS = [-30, 0, 14]
    DEFAULT_ACCEPTANCE_OFFSETS = [0, 7]

    class Meta:
        db_table = "directory_freshnesspolicy"
        verbose_name = "情報更新の設定"
        verbose_name_plural = "情報更新の設定"

    def __str__(self) -> str:
        return f"{self.region}: {self.fresh_days}日"

    @property
    def offsets(self) -> list[int]:
        return sorted(self.reminder_offsets or self.DEFAULT_OFFSETS)

    @property
    def acceptance_offsets(self) -> list[int]:
        return sorted(self.acceptance_reminder_offsets or self.DEFAULT_ACCEPTANCE_OFFSETS)


class UpdateLink(models.Model):
    """A personal, expiring update link sent to one contact of one facility. The URL carries only a
    signed token naming this row; revoking the row kills the link."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="update_links")
    email = models.EmailField("送付先")
    issued_at = models.DateTimeField("発行日時")
    expires_at = models.DateTimeField("有効期限")
    revoked_at = models.DateTimeField("無効化日時", null=True, blank=True)
    last_used_at = models.DateTimeField("最終利用日時", null=True, blank=True)
    # Rate limit: uses counted in the current window (see services.links.count_use).
    window_started_at = models.DateTimeField(null=True, blank=True)
    window_uses = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "directory_updatelink"
        verbose_name = "更新用リンク"
        verbose_name_plural = "更新用リンク"
        indexes = [models.Index(fields=["facility", "email"])]

    def __str__(self) -> str:
        return f"{self.facility_id}: {self.issued_at:%Y-%m-%d}"


class ChangeRequest(models.Model):
    """A change to a reviewed field (name, category, address, official codes, closure), waiting for
    the municipality's staff."""

    class Status(models.TextChoices):
        PENDING = "pending", "確認待ち"
        APPROVED = "approved", "承認"
        REJECTED = "rejected", "却下"

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="change_requests")
    proposed = models.JSONField("変更案")
    previous = models.JSONField("変更前")
    status = models.CharField("状態", max_length=20, choices=Status.choices, default=Status.PENDING)
    submitted_email = models.EmailField("申請元メール", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField("理由", blank=True)

    class Meta:
        db_table = "directory_changerequest"
        verbose_name = "変更申請"
        verbose_name_plural = "変更申請"
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.facility_id}: {self.status}"


class ReminderDelivery(models.Model):
    """One reminder to one contact: unique, sent under the queue rules of :mod:`renkei.core.mail`."""

    class Kind(models.TextChoices):
        ENTRY = "entry", "掲載情報"
        ACCEPTANCE = "acceptance", "受入状況"

    contact = models.ForeignKey(FacilityContact, on_delete=models.CASCADE, related_name="reminders")
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_date = models.DateField()
    offset_days = models.IntegerField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    # The mail server refused the address for good (5xx): not retried unless staff register it again.
    failed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "directory_reminderdelivery"
        verbose_name = "催促メール"
        verbose_name_plural = "催促メール"
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "kind", "due_date", "offset_days"], name="reminder_delivery_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_date} {self.offset_days:+d}"
