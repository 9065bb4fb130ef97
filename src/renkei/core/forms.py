from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone

from renkei.core.fiscal import fiscal_year_label, fiscal_year_of
from renkei.core.services import RuleError


class MunicipalityForm(forms.Form):
    code = forms.CharField(
        label="地方公共団体コード（6桁）",
        min_length=6,
        max_length=6,
        help_text="検査数字を含む6桁。例: 八戸市 022039",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label="市町村名", max_length=50, required=False, help_text="空欄なら既知の市町村名を使います。"
    )
    kana = forms.CharField(label="ふりがな", max_length=100, required=False)
    county = forms.CharField(label="郡", max_length=20, required=False)
    prefecture = forms.CharField(
        label="都道府県", max_length=10, required=False, help_text="空欄ならコードから判定します。"
    )


def show_rule_errors(form: forms.BaseForm, exc: RuleError) -> None:
    """A service's refusal on the form it came from: each error beside its field when the form has
    that field, else above the form."""
    for error in exc.errors or [{"field": "", "message": exc.message}]:
        name = error.get("field", "")
        form.add_error(name if name in form.fields else None, error["message"])


def fiscal_year_choices() -> list[tuple[int, str]]:
    """This 年度 and the five before it, newest first."""
    current = fiscal_year_of(timezone.localdate())
    return [(year, fiscal_year_label(year)) for year in range(current, current - 6, -1)]


class FiscalYearForm(forms.Form):
    """The 年度 a yearly page shows (this 年度 when none or a wrong one is asked for)."""

    fiscal_year = forms.TypedChoiceField(label="年度", coerce=int)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["fiscal_year"]).choices = fiscal_year_choices()

    def year(self) -> int:
        if self.is_valid():
            return self.cleaned_data["fiscal_year"]
        return fiscal_year_of(timezone.localdate())
