"""What the outreach app stores: the residents' portal pages staff write (with their images), the
municipalities' 出前講座 topics and the requests residents' groups send for one."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from renkei.core.models import Municipality, Region, User


class Topic(models.TextChoices):
    """What the portal explains to residents, in this order."""

    HOME_CARE = "home_care", "在宅医療"
    END_OF_LIFE = "end_of_life", "看取り"
    ACP = "acp", "ACP（人生会議）"


class PortalPage(models.Model):
    """One topic explained to residents: the region's page (``municipality`` empty) that every
    municipality shows, or a municipality's own page that replaces it there."""

    class Status(models.TextChoices):
        DRAFT = "draft", "下書き"
        PUBLISHED = "published", "公開"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="圏域")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="市町村（空欄は圏域共通）",
    )  # fmt: skip
    topic = models.CharField("テーマ", max_length=20, choices=Topic.choices)
    title = models.CharField("見出し", max_length=100)
    body = models.TextField("本文", max_length=20_000, blank=True)
    status = models.CharField("公開状態", max_length=10, choices=Status.choices, default=Status.DRAFT)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ポータルの説明ページ"
        verbose_name_plural = "ポータルの説明ページ"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "topic"],
                condition=models.Q(municipality=None),
                name="outreach_page_region_once",
            ),
            models.UniqueConstraint(fields=["municipality", "topic"], name="outreach_page_municipality_once"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class PortalImage(models.Model):
    """An image shown on a page (a JPEG or PNG checked by ``core.uploads``), with its text alternative."""

    page = models.ForeignKey(PortalPage, on_delete=models.CASCADE, related_name="images")
    alt = models.CharField("画像の説明（代替テキスト）", max_length=200)
    caption = models.CharField("キャプション", max_length=200, blank=True)
    stored_name = models.CharField(max_length=100, editable=False)
    content_type = models.CharField(max_length=30, editable=False)
    size = models.PositiveIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ポータルの画像"
        verbose_name_plural = "ポータルの画像"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.alt


class LectureTopic(models.Model):
    """A theme a municipality offers as a 出前講座 (the list residents choose from)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name="市町村"
    )
    title = models.CharField("講座名", max_length=100)
    description = models.TextField("内容", max_length=1000, blank=True)
    active = models.BooleanField("受付中", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "出前講座のテーマ"
        verbose_name_plural = "出前講座のテーマ"
        ordering = ["municipality", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "title"], name="outreach_lecture_topic_once")
        ]

    def __str__(self) -> str:
        return self.title


class GroupKind(models.TextChoices):
    SALON = "salon", "サロン"
    SENIOR_CLUB = "senior_club", "老人クラブ"
    NEIGHBOURHOOD = "neighbourhood", "町内会"
    OTHER = "other", "その他の団体"


class LectureRequest(models.Model):
    """A residents' group asking for a 出前講座. The contact details are personal data: shown on staff
    pages only, never cached, never logged."""

    class Status(models.TextChoices):
        NEW = "new", "受付"
        ACCEPTED = "accepted", "お受けした"
        DECLINED = "declined", "お断りした"

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name="市町村"
    )
    topic = models.ForeignKey(
        LectureTopic, on_delete=models.PROTECT, related_name="requests", verbose_name="講座"
    )
    group_kind = models.CharField("団体の種類", max_length=20, choices=GroupKind.choices)
    group_name = models.CharField("団体名", max_length=100)
    contact_name = models.CharField("代表者・連絡担当者のお名前", max_length=100)
    phone = models.CharField("電話番号", max_length=20)
    email = models.EmailField("メールアドレス", max_length=254)
    preferred_dates = models.JSONField(
        "希望日", default=list
    )  # up to three ISO dates, in order of preference
    preferred_time = models.CharField("希望の時間帯", max_length=100, blank=True)
    place = models.CharField("会場", max_length=200)
    expected_number = models.PositiveIntegerField(
        "参加予定人数", validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    message = models.TextField("ご要望など", max_length=2000, blank=True)
    status = models.CharField("状況", max_length=10, choices=Status.choices, default=Status.NEW)
    decline_reason = models.TextField("お断りの理由", max_length=1000, blank=True)
    accepted_starts_at = models.DateTimeField("実施日時", null=True, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    # The meetings event it became (an id, not a key: outreach works without the meetings app).
    event_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    mail_error = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "出前講座の申込み"
        verbose_name_plural = "出前講座の申込み"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return self.group_name


# --- 認知症ケアパス ---


class CarePathStage(models.TextChoices):
    """The stages of dementia a care path is laid out by, in this order."""

    AWARENESS = "awareness", "気づき"
    EARLY = "early", "初期"
    MIDDLE = "middle", "中期"
    LATE = "late", "後期"
    END_OF_LIFE = "end_of_life", "終末期"


class CarePathHelp(models.TextChoices):
    """The kinds of help a care path tells residents where to find, in this order."""

    CONSULTATION = "consultation", "相談"
    MEDICAL = "medical", "医療"
    CARE = "care", "介護"
    DAILY_LIFE = "daily_life", "生活支援"
    FAMILY = "family", "家族支援"
    HOUSING = "housing", "住まい"


class DementiaCarePath(models.Model):
    """A municipality's 認知症ケアパス: per stage of dementia and kind of help, a short text and the
    directory entries to turn to. One per municipality, edited in place."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name="市町村"
    )
    title = models.CharField("題名", max_length=100)
    introduction = models.TextField("はじめに", max_length=1000, blank=True)
    published = models.BooleanField("公開", default=False)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "認知症ケアパス"
        verbose_name_plural = "認知症ケアパス"

    def __str__(self) -> str:
        return self.title


class CarePathCell(models.Model):
    """One stage × kind of help of a care path: what to know there and whom to turn to."""

    TEXT_MAX_LENGTH = 400

    care_path = models.ForeignKey(DementiaCarePath, on_delete=models.CASCADE, related_name="cells")
    stage = models.CharField("段階", max_length=20, choices=CarePathStage.choices)
    kind = models.CharField("支援の種類", max_length=20, choices=CarePathHelp.choices)
    text = models.TextField("説明", max_length=TEXT_MAX_LENGTH, blank=True)
    facilities = models.ManyToManyField(
        "directory.Facility", through="CarePathEntry", related_name="+", verbose_name="掲載する資源"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "認知症ケアパスの欄"
        verbose_name_plural = "認知症ケアパスの欄"
        constraints = [
            models.UniqueConstraint(
                fields=["care_path", "stage", "kind"], name="outreach_care_path_cell_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}・{self.get_kind_display()}"


class CarePathEntry(models.Model):
    """A directory entry listed in a cell, at its place in the cell's order."""

    cell = models.ForeignKey(CarePathCell, on_delete=models.CASCADE, related_name="entries")
    facility = models.ForeignKey("directory.Facility", on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField("順番")

    class Meta:
        verbose_name = "認知症ケアパスの掲載先"
        verbose_name_plural = "認知症ケアパスの掲載先"
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cell", "facility"], name="outreach_care_path_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.cell} {self.order}"
