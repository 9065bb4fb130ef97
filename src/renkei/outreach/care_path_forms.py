"""Forms of the 認知症ケアパス staff pages. The cell form works without JavaScript: 「検索」 and 「保存」
submit the same form, so the text typed so far, the entries chosen and the search words all stay."""

from __future__ import annotations

from django import forms

from renkei.outreach.models import CarePathCell, DementiaCarePath


class SettingsForm(forms.ModelForm):
    class Meta:
        model = DementiaCarePath
        fields = ["title", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"introduction": "表の前に載せる、住民の方への短いあいさつや使い方（1000字以内）。"}


class CellForm(forms.Form):
    # The length is the service's rule (it names how many characters were typed); not restated here.
    text = forms.CharField(
        label="説明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"{CarePathCell.TEXT_MAX_LENGTH}字以内。この段階でこの支援について住民の方に伝えたいこと。",
    )
    q = forms.CharField(label="資源の名前", required=False, max_length=100)
    whole_region = forms.BooleanField(label="圏域のほかの市町村からも探す", required=False)

    def __init__(self, *args, stored_ids: list[int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stored_ids = stored_ids or []

    def _ids(self, name: str) -> list[int]:
        values = self.data.getlist(name) if hasattr(self.data, "getlist") else []
        try:
            return [int(value) for value in values]
        except ValueError:
            raise forms.ValidationError(
                "資源の指定が正しくありません。ページを開き直してください。"
            ) from None

    def clean(self) -> dict:
        data = super().clean() or {}
        listed = self._ids("entry")
        removed = set(self._ids("remove"))
        added = self._ids("add")
        positions = {}
        for place, pk in enumerate(listed, 1):
            raw = self.data.get(f"order-{pk}", "")
            try:
                positions[pk] = (int(raw) if raw.strip() else place, place)
            except ValueError:
                raise forms.ValidationError("順番は数字で入力してください。") from None
        kept = sorted((pk for pk in listed if pk not in removed), key=lambda pk: positions[pk])
        data["facility_ids"] = list(dict.fromkeys(kept + added))
        return data

    def chosen_ids(self) -> list[int]:
        """The entries as the form stands: the cleaned choice once submitted, else those stored."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["facility_ids"]
        return self.stored_ids
