from __future__ import annotations

from django import forms

from renkei.reports.items import Scene, Stage
from renkei.reports.services.rules import MAX_TEXT


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class OpenRoundForm(forms.Form):
    as_of = forms.DateField(
        label="調査の時点", widget=DateInput, help_text="例: 2021-12-31（Ｒ3.12.末日時点）"
    )


def _text(label: str, rows: int = 6) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": rows})
    )


class EntryForm(forms.Form):
    activities = _text("具体的内容", 8)
    issues = _text("課題")
    requests = _text("医師会・医療機関に協力を依頼している内容")
    unclassified = _text("未分類（取込時に欄を判別できなかった記載。各欄へ移したら消してください）", 3)
    stage = forms.ChoiceField(
        label="手引きVer.3の段階", required=False, choices=[("", "（指定なし）"), *Stage.choices]
    )
    scenes = forms.MultipleChoiceField(
        label="四つの場面", required=False, choices=Scene.choices, widget=forms.CheckboxSelectMultiple
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="コメント（差し戻すときは必須）",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
