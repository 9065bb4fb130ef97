"""Forms of the meetings pages: they parse input; the rules are in ``services``."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone

from renkei.core import permissions
from renkei.core.models import Organization, User
from renkei.meetings.models import (
    EVALUATION_ITEMS,
    Countermeasure,
    Event,
    Issue,
    Lecturer,
    Scene,
    SeedItem,
    Survey,
)
from renkei.meetings.services import lecturers
from renkei.meetings.services.evaluation import SCORES

REGION_WIDE = ""


def _municipality_choices(user: User) -> list[tuple[str, str]]:
    choices = [(str(m.pk), m.name) for m in permissions.event_municipalities(user)]
    if permissions.may_organise_region_wide(user):
        choices.append((REGION_WIDE, "圏域全体（医師会など）"))
    return choices


class _ScopedForm(forms.ModelForm):
    """A form whose first field chooses the municipality (or the whole region) the record belongs to."""

    scope = forms.ChoiceField(label="主催・担当の市町村")

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        cast(forms.ChoiceField, self.fields["scope"]).choices = _municipality_choices(user)

    def municipality(self):
        value = self.cleaned_data["scope"]
        return permissions.event_municipalities(self.user).get(pk=value) if value else None


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(_ScopedForm):
    online_url = forms.URLField(
        label="オンライン参加のURL", max_length=500, required=False, assume_scheme="https",
        help_text="登録した人にだけ表示されます。",
    )  # fmt: skip
    target_professions = forms.MultipleChoiceField(
        label="対象職種", choices=User.Profession.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "theme",
            "lecturer",
            "roster_lecturers",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "target_professions",
            "description",
            "on_paper",
            "open_to_public",
        ]
        widgets = {
            "roster_lecturers": forms.CheckboxSelectMultiple,
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["scope"]  # an event stays with the municipality that organises it
        roster = cast(forms.ModelMultipleChoiceField, self.fields["roster_lecturers"])
        roster.queryset = lecturers.region_lecturers(self.user)
        roster.help_text = "講師名簿にある講師は選んでおくと、名簿に過去の研修と評価が表示されます。"


class InviteForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="招待する組織の種別", choices=Organization.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    whole_region = forms.BooleanField(label="圏域全体の組織を招待する", required=False)


class AttendeesForm(forms.Form):
    users = forms.ModelMultipleChoiceField(
        label="出席者（登録者から選ぶ）",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        present = event.attendances.values("user_id")
        cast(forms.ModelChoiceField, self.fields["users"]).queryset = (
            User.objects.filter(pk__in=event.registrations.values("user_id"))
            .exclude(pk__in=present)
            .order_by("full_name_kana", "pk")
        )


class CountsForm(forms.Form):
    """Attendance of an event run on paper: two numbers per profession."""

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        recorded = {
            (row.profession, row.medical_institution): row.count
            for row in event.attendances.filter(user__isnull=True)
        }
        for code, label in User.Profession.choices:
            for medical, suffix in ((True, "医療機関"), (False, "その他")):
                self.fields[f"{code}__{int(medical)}"] = forms.IntegerField(
                    label=f"{label}（{suffix}）", min_value=0, max_value=10000, required=False,
                    initial=recorded.get((code, medical), 0),
                )  # fmt: skip

    def counts(self) -> dict[tuple[str, bool], int]:
        result = {}
        for name, value in self.cleaned_data.items():
            code, medical = name.rsplit("__", 1)
            result[(code, medical == "1")] = value or 0
        return result


class MaterialForm(forms.Form):
    title = forms.CharField(label="資料名", max_length=200)
    file = forms.FileField(label="ファイル（PDF）", help_text="PDFのみ、20MBまで。")


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="議事録・記録", required=False, widget=forms.Textarea(attrs={"rows": 10}), max_length=20000
    )


class EvaluationForm(forms.Form):
    comment = forms.CharField(
        label="感想・今後取り上げてほしいテーマ", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(score), label) for score, label in zip(SCORES, _SCORE_LABELS, strict=True)]
        for name, label in EVALUATION_ITEMS:
            self.fields[name] = forms.TypedChoiceField(
                label=label, choices=choices, coerce=int, widget=forms.RadioSelect
            )
        self.order_fields([name for name, _label in EVALUATION_ITEMS])

    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name, _label in EVALUATION_ITEMS}


_SCORE_LABELS = (
    "5 そう思う",
    "4 ややそう思う",
    "3 どちらともいえない",
    "2 あまりそう思わない",
    "1 そう思わない",
)


class IssueForm(_ScopedForm):
    class Meta:
        model = Issue
        fields = ["title", "scene", "seed_item", "evidence", "raised_on", "source_event", "source_survey"]
        widgets = {
            "raised_on": forms.DateInput(attrs={"type": "date"}),
            "evidence": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["source_event"]).queryset = permissions.visible_events(
            self.user
        )
        cast(forms.ModelChoiceField, self.fields["source_survey"]).queryset = Survey.objects.filter(
            permissions.managed_surveys_filter(self.user)
        ).exclude(status=Survey.Status.DRAFT)
        self.fields["raised_on"].initial = timezone.localdate()


class CountermeasureForm(forms.ModelForm):
    class Meta:
        model = Countermeasure
        fields = ["title", "owner", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, issue: Issue, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = Organization.objects.filter(
            is_active=True, municipality__region_id=issue.region_id
        ).select_related("municipality")


class CountermeasureStatusForm(forms.ModelForm):
    class Meta:
        model = Countermeasure
        fields = ["status", "done_on", "evaluation"]
        widgets = {
            "done_on": forms.DateInput(attrs={"type": "date"}),
            "evaluation": forms.Textarea(attrs={"rows": 2}),
        }


class BoardFilterForm(forms.Form):
    scene = forms.ChoiceField(label="場面", choices=[("", "すべて"), *Scene.choices], required=False)
    seed_item = forms.ChoiceField(
        label="事業項目", choices=[("", "すべて"), *SeedItem.choices], required=False
    )


class LecturerForm(forms.ModelForm):
    class Meta:
        model = Lecturer
        fields = ["name", "affiliation", "topics", "contact"]


class RosterSearchForm(forms.Form):
    topic = forms.CharField(label="テーマ・講師名で探す", required=False, max_length=100)
