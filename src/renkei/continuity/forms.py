"""Forms of nights, holidays and emergencies; the rules they feed live in the services."""

from __future__ import annotations

import re

from django import forms

from renkei.continuity.models import (
    AcpRecord,
    ContactStep,
    ElderlyPopulation,
    OnCallRota,
    RotaException,
    RotaSlot,
)
from renkei.core.models import Municipality, Organization, User
from renkei.sharing.models import CareTeamMembership


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        return value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value


class RotaForm(forms.ModelForm):
    class Meta:
        model = OnCallRota
        fields = ["name", "valid_from", "valid_until", "note"]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput(), "note": forms.Textarea({"rows": 2})}


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.username


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CareTeamMembership) -> str:
        return f"{obj.user.full_name}（{obj.get_team_role_display()}）"


def _staff_field(form: forms.ModelForm, organization: Organization, required: bool) -> None:
    field = form.fields["user"]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = User.objects.filter(organization=organization, is_active=True).order_by(
        "full_name_kana", "pk"
    )
    field.required = required


class SlotForm(forms.ModelForm):
    class Meta:
        model = RotaSlot
        fields = ["day", "starts", "ends", "user"]
        widgets = {"starts": TimeInput(), "ends": TimeInput()}
        field_classes = {"user": StaffChoiceField}

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _staff_field(self, organization, required=True)


class ExceptionForm(forms.ModelForm):
    class Meta:
        model = RotaException
        fields = ["starts_at", "ends_at", "user", "note"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}
        field_classes = {"user": StaffChoiceField}

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _staff_field(self, organization, required=False)
        self.fields["user"].empty_label = "（当番なし）"  # type: ignore[attr-defined]  # a ModelChoiceField


class StepForm(forms.ModelForm):
    class Meta:
        model = ContactStep
        fields = ["kind", "member", "organization", "facility", "phone", "instructions"]
        widgets = {"instructions": forms.Textarea({"rows": 2}), "facility": forms.NumberInput()}
        labels = {"facility": "施設・資源（施設ID）"}
        help_texts = {"facility": "医療・介護資源の検索で表示される施設の番号（24時間対応の施設）"}
        field_classes = {"member": MemberChoiceField}

    def __init__(self, *args, members, organizations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        assert isinstance(member, forms.ModelChoiceField)
        member.queryset = members
        organization = self.fields["organization"]
        assert isinstance(organization, forms.ModelChoiceField)
        organization.queryset = organizations


class AcpForm(forms.ModelForm):
    class Meta:
        model = AcpRecord
        fields = [
            "discussed_on",
            "participants",
            "place_of_care",
            "place_of_death",
            "life_sustaining",
            "life_sustaining_note",
            "surrogate",
            "what_matters",
            "review_on",
        ]
        widgets = {
            "discussed_on": DateInput(),
            "review_on": DateInput(),
            "participants": forms.Textarea({"rows": 2}),
            "life_sustaining_note": forms.Textarea({"rows": 2}),
            "what_matters": forms.Textarea({"rows": 3}),
        }


class PopulationForm(forms.ModelForm):
    municipality = forms.ModelChoiceField(queryset=Municipality.objects.none(), label="市町村")

    class Meta:
        model = ElderlyPopulation
        fields = ["year", "aged_65_plus", "source"]

    def __init__(self, *args, municipalities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = municipalities
        self.order_fields(["municipality", "year", "aged_65_plus", "source"])


class LivingAreaForm(forms.Form):
    """A 日常生活圏域 and its 町字, typed one per line or separated by 「、」 as staff list them."""

    municipality = forms.ModelChoiceField(queryset=Municipality.objects.none(), label="市町村")
    name = forms.CharField(label="日常生活圏域の名前", max_length=100)
    towns = forms.CharField(
        label="含まれる町字",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="1行に1つ、または「、」で区切って入力します（例: 湊町、白銀町）。「大字」は付けても付けなくてもかまいません。",
    )

    def __init__(self, *args, municipalities, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = municipalities

    def clean_towns(self) -> list[str]:
        text = self.cleaned_data["towns"]
        towns = [town.strip() for town in re.split(r"[\n、,，]", text) if town.strip()]
        if not towns:
            raise forms.ValidationError("町字を1つ以上入力してください。")
        return towns
