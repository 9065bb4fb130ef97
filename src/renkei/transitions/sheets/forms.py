"""Forms of the sheets: filling one (built from its version's fields) and editing a draft's fields.
They only turn input into the JSON the schema checks; which answers are required and what each kind
accepts is said once, by :mod:`renkei.transitions.sheets.schema`, and checked by the service."""

from __future__ import annotations

from typing import Any

from django import forms

from renkei.transitions.sheets import schema

YES_NO_CHOICES = [("yes", "はい"), ("no", "いいえ")]


class DateInput(forms.DateInput):
    input_type = "date"


def _answer_field(field: dict[str, Any]) -> forms.Field:
    kind, label, help_text = field["kind"], field["label"], field.get("help", "")
    common: dict[str, Any] = {"label": label, "help_text": help_text, "required": False}
    if kind == schema.SHORT_TEXT:
        return forms.CharField(max_length=schema.MAX_LENGTH[kind], **common)
    if kind == schema.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
    if kind == schema.DATE:
        return forms.DateField(widget=DateInput, **common)
    if kind == schema.CHOICE:
        return forms.ChoiceField(
            choices=[(choice, choice) for choice in field["choices"]], widget=forms.RadioSelect, **common
        )
    if kind == schema.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(choice, choice) for choice in field["choices"]],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if kind == schema.YES_NO:
        return forms.ChoiceField(choices=YES_NO_CHOICES, widget=forms.RadioSelect, **common)
    return forms.FloatField(widget=forms.NumberInput(attrs={"step": "any"}), **common)


class AnswerForm(forms.Form):
    urgent = forms.BooleanField(label="至急", required=False)

    def __init__(self, *args: Any, fields: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet_fields = fields
        for field in fields:
            self.fields[field["key"]] = _answer_field(field)
        self.fields["urgent"] = self.fields.pop("urgent")
        self.required_keys = {field["key"] for field in fields if field["required"]}

    def answers(self) -> dict[str, Any]:
        """The answers given, as JSON; an unanswered field is left out."""
        answers: dict[str, Any] = {}
        for field in self.sheet_fields:
            value = self.cleaned_data.get(field["key"])
            if value in (None, "", []):
                continue
            if field["kind"] == schema.YES_NO:
                value = value == "yes"
            elif field["kind"] == schema.DATE:
                value = value.isoformat()
            elif field["kind"] == schema.NUMBER and float(value).is_integer():
                value = int(value)
            elif field["kind"] in (schema.SHORT_TEXT, schema.LONG_TEXT):
                value = value.strip()
                if not value:
                    continue
            answers[field["key"]] = value
        return answers


class DefinitionForm(forms.Form):
    name = forms.CharField(label="シート名", max_length=100, help_text="例: 三戸町 地域連携連絡票")


class FieldForm(forms.Form):
    label = forms.CharField(label="項目名", max_length=100, required=False)
    kind = forms.ChoiceField(
        label="種類", choices=list(schema.KIND_LABELS.items()), initial=schema.SHORT_TEXT
    )
    required = forms.BooleanField(label="必須にする", required=False)
    choices = forms.CharField(
        label="選択肢（1行に1つ）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="種類が「選択」のときだけ入力します。",
    )
    help = forms.CharField(label="記入の説明", max_length=200, required=False)
    key = forms.CharField(
        label="識別名（半角英小文字、空欄なら自動）",
        max_length=40,
        required=False,
        help_text="版をまたいで同じ項目に同じ識別名を使うと、集計しやすくなります。",
    )


FieldFormSet = forms.formset_factory(FieldForm, extra=3, can_delete=True, max_num=schema.MAX_FIELDS)


def fields_from(formset: Any) -> list[dict[str, Any]]:
    """The draft's fields, in the order of the rows (an empty or deleted row is skipped). The schema
    then checks them; a blank key becomes ``item_N``."""
    fields: list[dict[str, Any]] = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not (data.get("label") or "").strip():
            continue
        field: dict[str, Any] = {
            "key": (data.get("key") or "").strip(),
            "label": data["label"].strip(),
            "kind": data["kind"],
            "required": bool(data.get("required")),
        }
        if (data.get("help") or "").strip():
            field["help"] = data["help"].strip()
        lines = [line.strip() for line in (data.get("choices") or "").splitlines() if line.strip()]
        if lines or data["kind"] in schema.WITH_CHOICES:
            field["choices"] = lines
        fields.append(field)
    used = {field["key"] for field in fields}
    for position, field in enumerate(fields, start=1):
        if not field["key"]:
            number = position
            while f"item_{number}" in used:
                number += 1
            field["key"] = f"item_{number}"
            used.add(field["key"])
    return fields


def formset_initial(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "label": field["label"],
            "kind": field["kind"],
            "required": field["required"],
            "choices": "\n".join(field.get("choices", [])),
            "help": field.get("help", ""),
            "key": field["key"],
        }
        for field in fields
    ]
