"""Forms of 消防・警察への提供; the rules they feed live in
:mod:`renkei.continuity.services.emergency_services`."""

from __future__ import annotations

from django import forms

from renkei.continuity.forms import DateInput, DateTimeInput
from renkei.continuity.models import EmergencyServicesConsent
from renkei.core.models import Municipality, Organization


class ServicesConsentForm(forms.ModelForm):
    class Meta:
        model = EmergencyServicesConsent
        fields = ["given_by", "relationship", "given_on", "method"]
        widgets = {"given_on": DateInput()}


class AgencyAccountForm(forms.Form):
    agency = forms.ModelChoiceField(label="所属（消防本部・警察署）", queryset=Organization.objects.none())
    full_name = forms.CharField(label="氏名", max_length=100)
    full_name_kana = forms.CharField(label="氏名（ふりがな）", max_length=100, required=False)
    username = forms.CharField(label="ログインID", max_length=150, help_text="本人ごとに1つ（共用しない）")
    email = forms.EmailField(
        label="メールアドレス", help_text="本人がこのアドレスでパスワードを設定します（ログイン画面の再設定）"
    )

    def __init__(self, *args, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]  # a ModelChoiceField


class GrantForm(forms.Form):
    agency = forms.ModelChoiceField(label="提供先（消防本部・警察署）", queryset=Organization.objects.none())
    municipality = forms.ModelChoiceField(label="市町村", queryset=Municipality.objects.none())
    starts_at = forms.DateTimeField(
        label="提供の開始", required=False, widget=DateTimeInput(), help_text="空欄なら今から"
    )
    ends_at = forms.DateTimeField(
        label="提供の終了", required=False, widget=DateTimeInput(), help_text="空欄なら終了日なし"
    )

    def __init__(self, *args, agencies, municipalities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class ResidentSearchForm(forms.Form):
    q = forms.CharField(label="氏名・ふりがな・住所", max_length=100)
