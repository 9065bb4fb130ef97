"""Forms of the questionnaires to organisations."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from renkei.core.models import Organization, User
from renkei.meetings.forms import _ScopedForm
from renkei.meetings.models import Question, QuestionKind, Survey
from renkei.meetings.services.evaluation import SCORES


class SurveyForm(_ScopedForm):
    target_kinds = forms.MultipleChoiceField(
        label="対象の組織種別", choices=Organization.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    target_professions = forms.MultipleChoiceField(
        label="対象職種（選ばなければすべての職種）",
        choices=User.Profession.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Survey
        fields = ["title", "description", "opens_on", "closes_on"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opens_on"].initial = timezone.localdate()


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="形式", choices=QuestionKind.choices)
    text = forms.CharField(label="質問", max_length=500)
    choices = forms.CharField(
        label="選択肢（1行に1つ。単一選択・複数選択のとき）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    min_value = forms.IntegerField(label="最小値（数値のとき）", required=False)
    max_value = forms.IntegerField(label="最大値（数値のとき）", required=False)
    required = forms.BooleanField(label="回答必須", required=False, initial=True)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["choices"] = data["choices"].splitlines()
        return data


SCALE_CHOICES = [(str(score), f"{score}") for score in SCORES]


class AnswerForm(forms.Form):
    """One field per question, named ``q<pk>``; the service checks the values."""

    show_name = forms.BooleanField(label="自由記述に名前を添えて主催者に伝えてよい", required=False)

    def __init__(self, *args, questions: list[Question], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            label = f"問{q.order} {q.text}"
            options = [(str(i), text) for i, text in enumerate(q.choices)]
            field: forms.Field
            if q.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(label=label, choices=options, widget=forms.RadioSelect)
            elif q.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label, choices=options, widget=forms.CheckboxSelectMultiple
                )
            elif q.kind == QuestionKind.SCALE:
                field = forms.ChoiceField(
                    label=label, choices=SCALE_CHOICES, widget=forms.RadioSelect,
                    help_text="5 そう思う ／ 1 そう思わない",
                )  # fmt: skip
            elif q.kind == QuestionKind.NUMBER:
                field = forms.IntegerField(label=label, min_value=q.min_value, max_value=q.max_value)
            else:
                field = forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 3}))
            field.required = q.required
            self.fields[f"q{q.pk}"] = field
        self.order_fields([f"q{q.pk}" for q in questions] + ["show_name"])

    def values(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


def initial_answers(questions: list[Question], response) -> dict[str, object]:
    if response is None:
        return {}
    answers = {a.question_id: a for a in response.answers.all()}
    initial: dict[str, object] = {"show_name": response.show_name}
    for q in questions:
        a = answers.get(q.pk)
        if a is None:
            continue
        if q.kind == QuestionKind.CHOICE:
            initial[f"q{q.pk}"] = str(a.choices[0])
        elif q.kind == QuestionKind.MULTIPLE:
            initial[f"q{q.pk}"] = [str(i) for i in a.choices]
        elif q.kind == QuestionKind.TEXT:
            initial[f"q{q.pk}"] = a.text
        else:
            initial[f"q{q.pk}"] = str(a.number) if q.kind == QuestionKind.SCALE else a.number
    return initial


class ProfessionFilterForm(forms.Form):
    profession = forms.ChoiceField(
        label="職種で絞り込む", choices=[("", "すべての職種"), *User.Profession.choices], required=False
    )
