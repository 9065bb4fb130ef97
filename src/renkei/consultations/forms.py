from __future__ import annotations

from datetime import timedelta
from typing import cast

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from renkei.consultations import services
from renkei.consultations.models import AgeBand, Channel, RequesterType, Response, Sex, Status
from renkei.core.fiscal import Period, fiscal_year_label, fiscal_year_of
from renkei.core.models import Municipality


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M"]


def _is_id(value) -> bool:
    """A number the database can hold as an id (a larger one makes SQLite raise, not just miss)."""
    text = str(value).strip()
    return text.isascii() and text.isdigit() and 0 < int(text) <= services.MAX_ID


class IdChoiceField(forms.ModelChoiceField):
    """A model choice whose submitted value must be a plausible id before the database is asked."""

    def to_python(self, value):
        if value not in self.empty_values and not _is_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            if not _is_id(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return super()._check_values(value)


def IdField(**kwargs) -> forms.IntegerField:
    """A hidden or chosen id: a positive number no larger than the database holds."""
    return forms.IntegerField(min_value=1, max_value=services.MAX_ID, **kwargs)


class CleanTextForm(forms.Form):
    """Text fields refuse control characters (tab and line breaks only where several lines are allowed)."""

    multiline_fields: tuple[str, ...] = ()

    def _refuse_control_characters(self, data: dict) -> None:
        for name, field in self.fields.items():
            value = data.get(name)
            if isinstance(field, forms.CharField) and isinstance(value, str):
                message = services.check_text(value, multiline=name in self.multiline_fields)
                if message:
                    self.add_error(name, message)


class InstitutionField(forms.CharField):
    """Free text; the page's script fills the paired hidden facility id when a directory entry is chosen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)


class PatientSelect(forms.Select):
    """A select whose options carry the reading and birth date the page's script filters on."""

    def __init__(self, attrs=None, choices=(), option_data=None):
        super().__init__(attrs, choices)
        self.option_data = option_data or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"].update(self.option_data.get(str(value), {}))
        return option


NO_PATIENT = "紐づけない（氏名は記録しない）"
HIDDEN_PATIENT = "登録済み利用者（表示権限なし）"


def patient_label(patient) -> str:
    born = patient.birth_date
    return f"{patient.full_name_kana}（{patient.full_name}）{born.year}年{born.month}月{born.day}日生"


class ConsultationForm(forms.Form):
    """Reads the page's fields; the case is cleaned by :func:`services.clean_consultation`."""

    received_at = forms.DateTimeField(
        label="受付日時", input_formats=DATETIME_FORMATS, widget=DateTimeLocalInput()
    )
    channel = forms.ChoiceField(label="相談経路", choices=Channel.choices, widget=forms.RadioSelect)
    requester_type = forms.ChoiceField(
        label="相談者", choices=RequesterType.choices, widget=forms.RadioSelect,
        help_text="本人・家族・地域住民・その他は「一般住民」、民生委員・医療機関・介護事業所・行政は「支援機関」として集計します。",
    )  # fmt: skip
    requester_institution = InstitutionField(
        label="相談者の所属機関",
        help_text="入力すると資源一覧から候補が出ます。一覧にない場合はそのまま名称を入力してください。",
    )
    requester_facility = IdField(required=False, widget=forms.HiddenInput)
    categories = IdMultipleChoiceField(
        label="相談内容", queryset=None, widget=forms.CheckboxSelectMultiple, required=True
    )
    subject_age_band = forms.ChoiceField(label="本人の年代", choices=AgeBand.choices, initial=AgeBand.UNKNOWN)
    subject_sex = forms.ChoiceField(
        label="本人の性別", choices=Sex.choices, initial=Sex.UNKNOWN, widget=forms.RadioSelect
    )
    subject_municipality = IdChoiceField(
        label="本人の住所（市町村）", queryset=Municipality.objects.none(), required=False, empty_label="不明"
    )
    patient = IdField(
        label="登録利用者",
        required=False,
        widget=PatientSelect(attrs={"data-patient-search": "1"}),
        help_text="本人が利用者として登録され、あなたがケアチームの一員の場合だけ選べます。",
    )
    summary = forms.CharField(
        label="相談内容（要旨）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="氏名など本人を特定できる情報は書かないでください。",
    )
    response = forms.ChoiceField(label="対応", choices=Response.choices, widget=forms.RadioSelect)
    referred_institution = InstitutionField(label="紹介先機関")
    referred_facility = IdField(required=False, widget=forms.HiddenInput)
    minutes_spent = forms.IntegerField(
        label="対応時間（分）", required=False, min_value=0, max_value=1440,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    status = forms.ChoiceField(
        label="状況", choices=Status.choices, initial=Status.CLOSED, widget=forms.RadioSelect
    )
    next_action_on = forms.DateField(label="次回対応予定日", required=False, widget=DateInput())
    staff = IdChoiceField(label="担当者", queryset=None, required=False, empty_label="（未設定）")

    def __init__(self, *args, desk, user, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", _initial_from(instance))
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.desk = desk
        self.region = services.region_of_desk(desk)
        self.fields["categories"].queryset = services.categories_for(self.region, active_only=True)
        self.fields["subject_municipality"].queryset = Municipality.objects.filter(region=self.region)
        self.fields["staff"].queryset = services.desk_staff(desk)
        self.user = user
        self._set_patient_choices(user, instance)
        for prefix in ("requester", "referred"):
            self.fields[f"{prefix}_institution"].widget.attrs.update(
                {
                    "autocomplete": "off",
                    "data-facility-search": reverse("consultations:facility_search"),
                    "data-facility-target": f"id_{prefix}_facility",
                }
            )
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))
            self.initial.setdefault("channel", Channel.PHONE)
            self.initial.setdefault("staff", user.pk if user.organization_id == desk.pk else None)
            self.initial.setdefault("subject_municipality", desk.municipality_id)

    def _set_patient_choices(self, user, instance) -> None:
        patients = list(services.linkable_patients(user))
        choices = [("", NO_PATIENT)] + [(patient.pk, patient_label(patient)) for patient in patients]
        current = instance.patient_id if instance is not None else None
        if current is not None and current not in {patient.pk for patient in patients}:
            choices.append((current, f"{HIDDEN_PATIENT}（今の紐づけのまま）"))
        widget = self.fields["patient"].widget
        widget.choices = choices
        widget.option_data = {
            str(patient.pk): {"data-kana": patient.kana_key, "data-birth": patient.birth_date.isoformat()}
            for patient in patients
        }

    def clean(self):
        data = super().clean()
        values = dict(data)
        if self.instance is not None and data.get("staff") is None:
            values["staff_name"] = self.instance.staff_name  # a name kept from an imported tally sheet
        current = self.instance.patient_id if self.instance is not None else None
        try:
            self.consultation = services.clean_consultation(
                self.user, self.desk, values, current_patient_id=current
            )
        except services.ConsultationError as exc:
            for error in exc.errors:
                self.add_error(_FORM_FIELD.get(error["field"], error["field"]) or None, error["message"])
        return data

    def save(self, actor):
        """Record the cleaned case (or the correction) as ``actor``; the service logs it."""
        if self.instance is None:
            return services.record_consultation(actor, self.desk, self.consultation)
        return services.update_consultation(actor, self.instance, self.consultation)


# The service names the facility at fault; the page shows the message under the institution's text.
_FORM_FIELD = {"requester_facility": "requester_institution", "referred_facility": "referred_institution"}


def _initial_from(consultation) -> dict:
    return {
        "received_at": consultation.received_at,
        "channel": consultation.channel,
        "requester_type": consultation.requester_type,
        "requester_institution": consultation.requester_institution_name,
        "requester_facility": consultation.requester_facility_id,
        "categories": list(consultation.categories.all()),
        "subject_age_band": consultation.subject_age_band,
        "subject_sex": consultation.subject_sex,
        "subject_municipality": consultation.subject_municipality_id,
        "summary": consultation.summary,
        "response": consultation.response,
        "referred_institution": consultation.referred_institution_name,
        "referred_facility": consultation.referred_facility_id,
        "minutes_spent": consultation.minutes_spent,
        "status": consultation.status,
        "next_action_on": consultation.next_action_on,
        "staff": consultation.staff_id,
        "patient": consultation.patient_id,
    }


class FollowUpForm(CleanTextForm):
    multiline_fields = ("summary",)

    occurred_at = forms.DateTimeField(
        label="対応日時", input_formats=DATETIME_FORMATS, widget=DateTimeLocalInput()
    )
    channel = forms.ChoiceField(label="経路", choices=Channel.choices, widget=forms.RadioSelect)
    response = forms.ChoiceField(label="対応", choices=Response.choices, widget=forms.RadioSelect)
    summary = forms.CharField(
        label="対応内容（要旨）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes_spent = forms.IntegerField(
        label="対応時間（分）", required=False, min_value=0, max_value=1440,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    status = forms.ChoiceField(label="対応後の状況", choices=Status.choices, widget=forms.RadioSelect)
    next_action_on = forms.DateField(label="次回対応予定日", required=False, widget=DateInput())

    def __init__(self, *args, consultation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
            self.initial.setdefault("channel", Channel.PHONE)
            self.initial.setdefault("status", Status.CONTINUING)

    def clean(self):
        data = super().clean()
        message = services.check_follow_up_date(data.get("status", ""), data.get("next_action_on"))
        if message:
            self.add_error("next_action_on", message)
        self._refuse_control_characters(data)
        occurred_at = data.get("occurred_at")
        if occurred_at and occurred_at > timezone.now() + timedelta(minutes=5):
            self.add_error("occurred_at", "未来の日時は入力できません。")
        elif occurred_at and self.consultation and occurred_at < self.consultation.received_at:
            self.add_error("occurred_at", "相談の受付日時より前の日時は入力できません。")
        return data


class ListFilterForm(CleanTextForm):
    start = forms.DateField(label="受付日（から）", required=False, widget=DateInput())
    end = forms.DateField(label="受付日（まで）", required=False, widget=DateInput())
    status = forms.ChoiceField(label="状況", required=False, choices=[("", "すべて"), *Status.choices])
    category = IdChoiceField(label="相談内容", required=False, queryset=None, empty_label="すべて")
    institution = forms.CharField(label="機関名（相談者の所属・紹介先）", required=False, max_length=100)
    staff = IdChoiceField(label="担当者", required=False, queryset=None, empty_label="すべて")

    def __init__(self, *args, desk, **kwargs):
        super().__init__(*args, **kwargs)
        region = services.region_of_desk(desk)
        self.fields["category"].queryset = services.categories_for(region)
        self.fields["staff"].queryset = services.desk_staff(desk)

    def clean(self):
        data = super().clean()
        self._refuse_control_characters(data)
        for name in ("start", "end"):
            message = services.check_day(data[name]) if data.get(name) else None
            if message:
                self.add_error(name, message)
        return data

    def filters(self) -> services.ListFilter:
        if not self.is_valid():
            return services.ListFilter()
        return services.ListFilter(**self.cleaned_data)


class StatisticsForm(forms.Form):
    """Period (a 年度, or from–to) and scope (all desks, one municipality, one desk), read from the
    page; what they mean is decided by :func:`services.statistics_request`'s parts. An invalid choice
    is shown (400) while the page still counts the 年度 and the desks it falls back to."""

    fiscal_year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    start = forms.DateField(label="期間（から）", required=False, widget=DateInput())
    end = forms.DateField(label="期間（まで）", required=False, widget=DateInput())
    scope = forms.ChoiceField(label="対象", required=False)

    def __init__(self, *args, scope: services.StatisticsScope, **kwargs):
        super().__init__(*args, **kwargs)
        self.statistics_scope = scope
        self.desks = {desk.pk: desk for desk in scope.desks}
        self.municipalities = {municipality.pk: municipality for municipality in scope.municipalities}
        current = fiscal_year_of(timezone.localdate())
        cast(forms.ChoiceField, self.fields["fiscal_year"]).choices = [("", "期間を指定")] + [
            (year, f"{fiscal_year_label(year)}（{year}年度）") for year in range(current, current - 8, -1)
        ]
        scope_choices = []
        if len(self.desks) > 1:
            scope_choices.append(("", "すべての窓口"))
        scope_choices += [(f"m{pk}", f"{m.name}の全窓口") for pk, m in self.municipalities.items()]
        scope_choices += [(f"d{pk}", desk.name) for pk, desk in self.desks.items()]
        cast(forms.ChoiceField, self.fields["scope"]).choices = scope_choices
        self.initial_fiscal_year = current

    def clean(self):
        data = super().clean()
        try:
            period = services.statistics_period(data.get("fiscal_year"), data.get("start"), data.get("end"))
            desks, label, whole = self._chosen_scope(data.get("scope") or "")
            # Refuses, among others, a period too short for someone who sees counts only.
            services.request_for(self.statistics_scope, desks, label, period, whole_municipalities=whole)
        except services.ConsultationError as exc:
            raise forms.ValidationError(exc.message) from None
        return data

    def _valid_parts(self) -> dict:
        """The fields that validated (an unknown scope does not throw away a good period)."""
        self.is_valid()
        return getattr(self, "cleaned_data", {})

    def period(self) -> Period:
        data = self._valid_parts()
        if not self.non_field_errors():
            try:
                return services.statistics_period(data.get("fiscal_year"), data.get("start"), data.get("end"))
            except services.ConsultationError:
                pass
        return Period.for_fiscal_year(data.get("fiscal_year") or self.initial_fiscal_year)

    def _chosen_scope(self, choice: str) -> tuple[list, str, bool]:
        """The chosen desks, a label for the report, and whether whole municipalities are counted."""
        number = int(choice[1:]) if choice[1:].isdigit() else None
        if choice.startswith("d") and number in self.desks:
            return (*services.statistics_desks(self.statistics_scope, desk_id=number), False)
        if choice.startswith("m") and number in self.municipalities:
            municipality = self.municipalities[number]
            return (*services.statistics_desks(self.statistics_scope, municipality=municipality), True)
        return (*services.statistics_desks(self.statistics_scope), True)

    def statistics_request(self) -> services.StatisticsRequest:
        data = self._valid_parts()
        desks, label, whole = self._chosen_scope(data.get("scope") or "")
        return services.request_for(
            self.statistics_scope, desks, label, self.period(), whole_municipalities=whole
        )


class ImportForm(forms.Form):
    file = forms.FileField(label="ファイル（CSV または Excel .xlsx）")
    valid_rows_only = forms.BooleanField(
        label="誤りのある行を除き、正しい行だけを取り込む",
        required=False,
        help_text="チェックしない場合、1行でも誤りがあれば何も取り込みません。",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.CONSULTATIONS_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"ファイルが大きすぎます（{limit // (1024 * 1024)}MBまで）。分けて取り込んでください。"
            )
        return upload


class CategoryForm(forms.Form):
    name = forms.CharField(label="区分名", max_length=100)
