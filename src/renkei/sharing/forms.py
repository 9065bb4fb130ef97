from __future__ import annotations

from django import forms

from renkei.sharing import services
from renkei.sharing.models import (
    Consent,
    EmergencyCategory,
    NotificationPreference,
    Patient,
    PostCategory,
    TeamRole,
)


class DateInput(forms.DateInput):
    input_type = "date"


class PatientForm(forms.ModelForm):
    """The patient's basic data. The かかりつけ医 is found by name (``physician_query``): the matches
    are offered as radio choices with their 市町村・町字 and category, by the page's script as one
    types, or without it after 「検索」 (the view re-shows the form with the matches)."""

    physician_query = forms.CharField(
        label="かかりつけ医を名称で検索",
        required=False,
        max_length=100,
        help_text="名称の一部を入力してください（ひらがな・カタカナどちらでも探せます）。",
    )

    class Meta:
        model = Patient
        fields = [
            "full_name",
            "full_name_kana",
            "birth_date",
            "sex",
            "municipality",
            "address",
            "insurance_number",
            "care_level",
            "physician_facility",
            "physician_text",
            "emergency_contacts",
            "conditions",
            "allergies",
            "medications",
        ]
        widgets = {
            "birth_date": DateInput(),
            "emergency_contacts": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "allergies": forms.Textarea(attrs={"rows": 2}),
            "medications": forms.Textarea(attrs={"rows": 3}),
            "insurance_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "physician_facility": forms.RadioSelect,
        }
        help_texts = {
            "full_name_kana": "ひらがなまたはカタカナ。重複登録の確認に使います。",
            "insurance_number": "10桁の数字（任意）",
            "physician_text": "施設・資源に無い場合に記入してください。",
        }

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        names = [name for name in self.fields if name != "physician_query"]
        names.insert(names.index("physician_facility"), "physician_query")
        self.order_fields(names)
        if region is not None:
            self.fields["municipality"].queryset = region.municipalities.all()
        # Any hospital or clinic of the region is accepted; only the matches (and the current
        # choice) are shown.
        physician = self.fields["physician_facility"]
        physician.queryset = services.physician_facilities(region)
        query = self["physician_query"].value() or ""
        self.physician_matches = services.search_physicians(region, query)
        shown = list(self.physician_matches)
        chosen = physician.queryset.select_related("municipality").filter(
            pk=_int_or_none(self["physician_facility"].value())
        )
        shown[:0] = [services.physician_candidate(f) for f in chosen if f.pk not in {c.id for c in shown}]
        physician.widget.choices = [("", "選ばない（施設・資源に無い場合は下に記入）")] + [
            (str(c.id), c.label) for c in shown
        ]
        self.physician_searched = bool(query.strip())
        for name in ("full_name", "full_name_kana", "address", "physician_query"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self):
        cleaned = super().clean()
        # The search text only finds the choice; it is no part of the record.
        cleaned.pop("physician_query", None)
        return cleaned


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class RegisterPatientForm(PatientForm):
    confirm_not_duplicate = forms.BooleanField(
        label="同じふりがな・生年月日の利用者とは別の人であることを確認しました", required=False
    )
    team_role = forms.ChoiceField(label="あなたのチームでの役割", choices=TeamRole.choices)


class ConsentForm(forms.ModelForm):
    scan_file = forms.FileField(
        label="同意書のスキャン（任意・PDFまたはJPEG、10MBまで）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg"}),
    )

    scope_roles = forms.MultipleChoiceField(
        label="共有してよい役割",
        choices=TeamRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="選ばなければケアチームの全員と共有します。登録組織のメンバーはいつでも見られます。",
    )

    class Meta:
        model = Consent
        fields = ["given_by", "relationship", "given_on", "method", "scope_roles", "scope"]
        widgets = {"given_on": DateInput(), "scope": forms.Textarea(attrs={"rows": 2})}


class WithdrawConsentForm(forms.Form):
    note = forms.CharField(
        label="撤回の経緯",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "撤回の経緯を入力してください。"},
    )
    confirm = forms.BooleanField(
        label="撤回すると、登録した組織以外のケアチームメンバー全員がただちに閲覧できなくなることを確認しました",
        error_messages={"required": "撤回してよいか確認し、確認の欄にチェックを入れてください。"},
    )


class InviteSearchForm(forms.Form):
    q = forms.CharField(label="氏名・ふりがな・所属・職種で検索", max_length=100)


class InviteForm(forms.Form):
    user_id = forms.IntegerField(widget=forms.HiddenInput)
    team_role = forms.ChoiceField(label="チームでの役割", choices=TeamRole.choices)


class EmergencySearchForm(forms.Form):
    full_name_kana = forms.CharField(label="氏名（ふりがな）", max_length=100)
    birth_date = forms.DateField(label="生年月日", widget=DateInput())


class EmergencyAccessForm(forms.Form):
    """Opening a record found by the search: the search's ふりがな and 生年月日 come back with it (the
    access is bound to what they find), with the category and the reason."""

    full_name_kana = forms.CharField(max_length=100, widget=forms.HiddenInput)
    birth_date = forms.DateField(widget=forms.HiddenInput)
    category = forms.ChoiceField(label="分類", choices=EmergencyCategory.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="緊急アクセスの理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="20文字以上。登録組織に通知され、アクセス記録に残ります。",
        max_length=2000,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class PostForm(forms.Form):
    category = forms.ChoiceField(label="分類", choices=PostCategory.choices)
    urgent = forms.BooleanField(label="至急", required=False)
    body = forms.CharField(label="本文", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    # Django's metaclass takes declared fields off the class: the form's own ``files`` (the uploaded
    # data) is not replaced, whatever the type checker sees.
    files = MultipleFileField(label="添付ファイル（PDF・JPEG・PNG、1件10MBまで）", required=False)  # type: ignore[assignment]


class ReplyForm(forms.Form):
    body = forms.CharField(label="返信", widget=forms.Textarea(attrs={"rows": 2}), max_length=10000)
    files = MultipleFileField(label="添付ファイル", required=False)  # type: ignore[assignment]  # as in PostForm


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["mode"]
        widgets = {"mode": forms.RadioSelect}


class AccessLogExportForm(forms.Form):
    start = forms.DateField(label="開始日", widget=DateInput(), required=False)
    end = forms.DateField(label="終了日", widget=DateInput(), required=False)
