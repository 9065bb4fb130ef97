from __future__ import annotations

from datetime import date
from typing import cast

from django import forms

from renkei.core.formats import InvalidFormat, normalize_phone
from renkei.core.models import Municipality
from renkei.outreach.models import GroupKind, LectureRequest, LectureTopic
from renkei.outreach.services import requests


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class LectureRequestForm(forms.ModelForm):
    """The portal's request form. ``website`` is the honeypot (hidden from people by CSS and from
    screen readers); ``shown`` the signed time the form was shown."""

    preferred_date_1 = forms.DateField(label="第1希望日", widget=DateInput())
    preferred_date_2 = forms.DateField(label="第2希望日（任意）", required=False, widget=DateInput())
    preferred_date_3 = forms.DateField(label="第3希望日（任意）", required=False, widget=DateInput())
    website = forms.CharField(required=False, label="ウェブサイト（入力しないでください）")
    shown = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = LectureRequest
        fields = [
            "topic", "group_kind", "group_name", "preferred_date_1", "preferred_date_2", "preferred_date_3",
            "preferred_time", "place", "expected_number", "contact_name", "phone", "email", "message",
        ]  # fmt: skip
        widgets = {
            "group_kind": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        help_texts = {
            "preferred_time": "例: 午後、10時〜11時半",
            "place": "例: ○○町内会館",
            "email": "受付のお知らせと、お受けできるかどうかの回答をお送りします。",
        }

    def __init__(self, *args, municipality: Municipality, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        topic = cast(forms.ModelChoiceField, self.fields["topic"])
        topic.queryset = requests.active_topics(municipality)
        topic.empty_label = "選んでください"
        kind = cast(forms.ChoiceField, self.fields["group_kind"])
        kind.choices = GroupKind.choices
        honeypot = self.fields["website"]
        honeypot.widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_phone(self) -> str:
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except InvalidFormat as exc:
            raise forms.ValidationError(str(exc)) from None

    def preferred_dates(self) -> list[date]:
        names = ("preferred_date_1", "preferred_date_2", "preferred_date_3")
        return [self.cleaned_data[name] for name in names if self.cleaned_data.get(name)]

    def details(self) -> requests.RequestDetails:
        data = self.cleaned_data
        return requests.RequestDetails(
            topic=data["topic"], group_kind=data["group_kind"], group_name=data["group_name"],
            contact_name=data["contact_name"], phone=data["phone"], email=data["email"],
            preferred_dates=self.preferred_dates(), preferred_time=data["preferred_time"], place=data["place"],
            expected_number=data["expected_number"], message=data["message"],
        )  # fmt: skip


class TopicForm(forms.ModelForm):
    class Meta:
        model = LectureTopic
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class AcceptForm(forms.Form):
    day = forms.DateField(label="実施日", widget=DateInput())
    start = forms.TimeField(label="開始時刻", widget=TimeInput())
    end = forms.TimeField(label="終了時刻", widget=TimeInput())


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="お断りの理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="申込みの方へのメールにそのまま書かれます。",
    )  # fmt: skip
