from __future__ import annotations

from django import forms

from renkei.directory.catalog import Category
from renkei.outreach.services import guide, scope


class GuideForm(forms.Form):
    municipality = forms.ChoiceField(label="市町村", required=False)
    categories = forms.MultipleChoiceField(
        label="種別（選ばなければすべて）",
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    layout = forms.ChoiceField(
        label="レイアウト", choices=list(guide.LAYOUTS.items()), initial="a4", widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        municipality = self.fields["municipality"]
        assert isinstance(municipality, forms.ChoiceField)  # declared above
        municipality.choices = [("", "圏域全体")] + [
            (m.code, m.name) for m in scope.region_municipalities().order_by("code")
        ]
