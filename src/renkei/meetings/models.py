"""Meetings and trainings, their attendance and evaluations, and the 課題 → 対応策 (PDCA) they lead to."""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from renkei.core.fiscal import fiscal_year_of
from renkei.core.models import Municipality, Organization, Region, User

# Organisations whose staff count as 医療機関 attendance (shown apart in the yearly summary).
MEDICAL_INSTITUTION_KINDS = (
    Organization.Kind.HOSPITAL,
    Organization.Kind.CLINIC,
    Organization.Kind.DENTAL_CLINIC,
)


class EventKind(models.TextChoices):
    INDIVIDUAL_CARE_MEETING = "individual_care_meeting", "個別地域ケア会議"
    PROMOTION_MEETING = "promotion_meeting", "地域ケア推進会議・全体会議"
    COORDINATION_COUNCIL = "coordination_council", "在宅医療・介護連携推進会議"
    EXCHANGE_MEETING = "exchange_meeting", "多職種連携意見交換会"
    TRAINING = "training", "多職種研修"
    PUBLIC_LECTURE = "public_lecture", "住民向け講演会"
    OUTREACH_LECTURE = "outreach_lecture", "出前講座"


# Kinds meant for residents: only these can be open to the public (shown on the portal).
RESIDENT_KINDS = (EventKind.PUBLIC_LECTURE, EventKind.OUTREACH_LECTURE)

# Kinds whose attendees are asked for an evaluation afterwards.
TRAINING_KINDS = (EventKind.TRAINING, EventKind.PUBLIC_LECTURE, EventKind.OUTREACH_LECTURE)


class Scene(models.TextChoices):
    """The four scenes of the 手引き Ver.3."""

    DAILY = "daily", "日常の療養支援"
    ADMISSION_DISCHARGE = "admission_discharge", "入退院支援"
    EMERGENCY = "emergency", "急変時の対応"
    END_OF_LIFE = "end_of_life", "看取り"


class SeedItem(models.TextChoices):
    """The programme's former items (旧ア〜旧キ) an issue belongs to."""

    A = "a", "旧ア 地域の医療・介護の資源の把握"
    I = "i", "旧イ 在宅医療・介護連携の課題の抽出と対応策の検討"  # noqa: E741 (イ, as the programme names it)
    U = "u", "旧ウ 切れ目のない在宅医療と在宅介護の提供体制の構築推進"
    E = "e", "旧エ 医療・介護関係者の情報共有の支援"
    O = "o", "旧オ 在宅医療・介護連携に関する相談支援"  # noqa: E741 (オ)
    KA = "ka", "旧カ 医療・介護関係者の研修"
    KI = "ki", "旧キ 地域住民への普及啓発"


class Lecturer(models.Model):
    """A lecturer or the body that sends one (理学療法士会, 薬剤師会, 医師会, 訪問看護ステーション…), shared by
    the region so that a municipality planning a training sees who taught what and how it was rated."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="圏域")
    name = models.CharField("講師名・派遣元", max_length=200)
    affiliation = models.CharField("所属・派遣元団体", max_length=200, blank=True)
    topics = models.CharField("講義できるテーマ", max_length=500, blank=True)
    contact = models.CharField("依頼の窓口", max_length=200, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "講師"
        verbose_name_plural = "講師"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name", "affiliation"], name="meetings_lecturer_once")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.affiliation}）" if self.affiliation else self.name


class Event(models.Model):
    """A meeting or training. ``municipality`` is empty for an event of the whole region (the 医師会's)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="圏域")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="主催の市町村",
    )  # fmt: skip
    organizer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="主催者"
    )
    kind = models.CharField("種別", max_length=40, choices=EventKind.choices)
    title = models.CharField("名称", max_length=200)
    theme = models.CharField("テーマ", max_length=300, blank=True)
    lecturer = models.CharField("講師", max_length=200, blank=True)
    roster_lecturers = models.ManyToManyField(
        Lecturer, blank=True, related_name="events", verbose_name="講師名簿から"
    )
    starts_at = models.DateTimeField("開始日時")
    ends_at = models.DateTimeField("終了日時")
    place = models.CharField("会場", max_length=200, blank=True)
    online_url = models.URLField("オンライン参加のURL", max_length=500, blank=True)
    target_professions = models.JSONField("対象職種", default=list, blank=True)
    description = models.TextField("案内文", blank=True)
    minutes = models.TextField("議事録・記録", blank=True)
    on_paper = models.BooleanField("紙で受付（出席は職種別の人数で記録）", default=False)
    # Shown on the residents' portal (outreach) with its public fields: 名称, テーマ, 日時, 会場, 案内文.
    open_to_public = models.BooleanField("住民に公開（住民向けポータルに掲載）", default=False)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "会議・研修"
        verbose_name_plural = "会議・研修"
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["region", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_training(self) -> bool:
        return self.kind in TRAINING_KINDS

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(timezone.localtime(self.starts_at).date())

    def attendance_scope(self) -> dict[str, object]:
        """What every attendance row copies from its event (see :class:`Attendance`)."""
        return {
            "region_id": self.region_id,
            "municipality_id": self.municipality_id,
            "fiscal_year": self.fiscal_year,
        }

    def target_profession_labels(self) -> list[str]:
        labels = dict(User.Profession.choices)
        return [labels.get(code, code) for code in self.target_professions]


class Invitation(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "organization"], name="meetings_invitation_once")
        ]

    def __str__(self) -> str:
        return f"{self.event} への招待（{self.organization}）"


class Registration(models.Model):
    """A professional's online registration for an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="meetings_registration_once")]

    def __str__(self) -> str:
        return f"{self.event} への参加登録（{self.user}）"


class Attendance(models.Model):
    """Who attended: one named person (``count`` 1), or for an event run on paper the number of
    attendees of one profession. ``medical_institution`` is kept on the row so that the yearly
    summary counts 医療機関 attendance without joining organisations; ``region``, ``municipality``
    and ``fiscal_year`` are copied from the event (``Event.attendance_scope``; an event keeps its
    municipality, and a change of its date updates them) so that the summary of a 年度 reads one
    covering index in group order instead of joining 100,000 rows to their events."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    fiscal_year = models.PositiveSmallIntegerField(editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    profession = models.CharField("職種", max_length=30, choices=User.Profession.choices)
    medical_institution = models.BooleanField("医療機関から", default=False)
    count = models.PositiveIntegerField("人数", default=1, validators=[MinValueValidator(1)])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(user__isnull=False),
                name="meetings_attended_once",
            ),
            models.UniqueConstraint(
                fields=["event", "profession", "medical_institution"],
                condition=models.Q(user__isnull=True),
                name="meetings_one_count_per_profession",
            ),
        ]
        indexes = [
            models.Index(
                fields=[
                    "region",
                    "fiscal_year",
                    "municipality",
                    "profession",
                    "medical_institution",
                    "count",
                ],
                name="meetings_attendance_summary",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} の出席（{self.user or self.get_profession_display()}）"


class Material(models.Model):
    """A PDF handed out at an event, stored through ``core.uploads`` (area ``meetings``)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField("資料名", max_length=200)
    stored_name = models.CharField(max_length=100, editable=False)
    original_name = models.CharField(max_length=150, editable=False)
    size = models.PositiveIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


_SCORE = [MinValueValidator(1), MaxValueValidator(5)]

# The 5-point items of the evaluation (field name, question). 5 = そう思う … 1 = そう思わない.
EVALUATION_ITEMS = (
    ("satisfaction", "研修の内容に満足した"),
    ("understanding", "内容を理解できた"),
    ("usefulness", "明日からの業務に役立つ"),
    ("collaboration", "他職種との連携を深める機会になった"),
)


class Evaluation(models.Model):
    """One attendee's answer to the evaluation after a training; seen per person by the organiser only."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="evaluations")
    respondent = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    profession = models.CharField("職種", max_length=30, choices=User.Profession.choices, blank=True)
    satisfaction = models.PositiveSmallIntegerField(EVALUATION_ITEMS[0][1], validators=_SCORE)
    understanding = models.PositiveSmallIntegerField(EVALUATION_ITEMS[1][1], validators=_SCORE)
    usefulness = models.PositiveSmallIntegerField(EVALUATION_ITEMS[2][1], validators=_SCORE)
    collaboration = models.PositiveSmallIntegerField(EVALUATION_ITEMS[3][1], validators=_SCORE)
    comment = models.TextField("感想・今後取り上げてほしいテーマ", blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "respondent"], name="meetings_evaluated_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event} のアンケート回答"


class Issue(models.Model):
    """A 課題 raised in a meeting (or a questionnaire), with the cases or data behind it."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="圏域")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="市町村（空欄は圏域全体）",
    )  # fmt: skip
    title = models.CharField("課題", max_length=200)
    scene = models.CharField("場面", max_length=30, choices=Scene.choices)
    seed_item = models.CharField("事業項目", max_length=4, choices=SeedItem.choices)
    evidence = models.TextField("根拠（事例・データ）", blank=True)
    source_event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="issues",
        verbose_name="提起された会議",
    )  # fmt: skip
    source_survey = models.ForeignKey(
        "Survey", on_delete=models.SET_NULL, null=True, blank=True, related_name="issues",
        verbose_name="提起されたアンケート",
    )  # fmt: skip
    raised_on = models.DateField("提起日")
    closed_on = models.DateField("解決・終了日", null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "課題"
        verbose_name_plural = "課題"
        ordering = ["-raised_on", "-pk"]
        indexes = [models.Index(fields=["region", "raised_on"])]

    def __str__(self) -> str:
        return self.title


class Countermeasure(models.Model):
    """A 対応策 for an issue, with its owner, due date, status and the evaluation of its result."""

    class Status(models.TextChoices):
        PLANNED = "planned", "計画中"
        IN_PROGRESS = "in_progress", "実施中"
        DONE = "done", "実施済み"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="countermeasures")
    title = models.CharField("対応策", max_length=200)
    owner = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="担当組織"
    )
    due_on = models.DateField("期限", null=True, blank=True)
    status = models.CharField("状況", max_length=20, choices=Status.choices, default=Status.PLANNED)
    done_on = models.DateField("実施日", null=True, blank=True)
    evaluation = models.TextField("結果の評価", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "対応策"
        verbose_name_plural = "対応策"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


# --- questionnaires to organisations (アンケート) ---


class QuestionKind(models.TextChoices):
    CHOICE = "choice", "単一選択"
    MULTIPLE = "multiple", "複数選択"
    SCALE = "scale", "5段階"
    NUMBER = "number", "数値"
    TEXT = "text", "自由記述"


class Survey(models.Model):
    """A questionnaire to the professionals of chosen organisation kinds and professions. Answers are
    read one by one by the survey's managers only; everyone else sees counts (see docs/meetings.md)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "作成中"
        OPEN = "open", "回答受付中"
        CLOSED = "closed", "締切"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="圏域")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="実施する市町村（空欄は圏域全体）",
    )  # fmt: skip
    title = models.CharField("アンケート名", max_length=200)
    description = models.TextField("依頼文", blank=True)
    fiscal_year = models.PositiveSmallIntegerField("年度")
    opens_on = models.DateField("回答開始日")
    closes_on = models.DateField("締切日")
    status = models.CharField("状況", max_length=10, choices=Status.choices, default=Status.DRAFT)
    target_kinds = models.JSONField("対象の組織種別", default=list, blank=True)
    target_professions = models.JSONField("対象職種（空欄はすべて）", default=list, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies",
        verbose_name="前年度のアンケート",
    )  # fmt: skip
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "アンケート"
        verbose_name_plural = "アンケート"
        ordering = ["-fiscal_year", "-opens_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def accepts_answers(self, today) -> bool:
        return self.status == self.Status.OPEN and self.opens_on <= today <= self.closes_on


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField("順番", default=0)
    kind = models.CharField("形式", max_length=10, choices=QuestionKind.choices)
    text = models.CharField("質問", max_length=500)
    required = models.BooleanField("回答必須", default=True)
    choices = models.JSONField("選択肢", default=list, blank=True)
    min_value = models.IntegerField("最小値", null=True, blank=True)
    max_value = models.IntegerField("最大値", null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class SurveyRecipient(models.Model):
    """Who was asked (recorded when the survey opens), and the two mails sent to them (request,
    reminder) under the queue rules of :mod:`renkei.core.mail`."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="meetings_survey_recipient_once")
        ]

    def __str__(self) -> str:
        return f"{self.survey} の依頼先"


class SurveyResponse(models.Model):
    """One person's answers; one per person and survey, editable until the survey closes."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    profession = models.CharField("職種", max_length=30, choices=User.Profession.choices, blank=True)
    show_name = models.BooleanField("自由記述に名前を添えてよい", default=False)
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent"], name="meetings_survey_answered_once")
        ]

    def __str__(self) -> str:
        return f"{self.survey} の回答"


class SurveyAnswer(models.Model):
    """The answer to one question: ``choices`` (indexes into the question's choices) for a choice or
    multiple choice, ``number`` for a 5-point or number question, ``text`` for free text."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.JSONField(default=list, blank=True)
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="meetings_survey_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question} への回答"
