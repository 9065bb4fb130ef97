"""Forms of freshness: what a facility edits through its update link, and staff's contact, rejection
and policy forms."""

from __future__ import annotations

from django import forms

from renkei.directory.catalog import CAPABILITIES

# The update-link form takes the fields with a format and the three-way capabilities as the staff form does.
from renkei.directory.forms import _FieldFormats, _LineFeeds, _tri_state_field
from renkei.directory.models import Facility


class LinkFacilityForm(_LineFeeds, _FieldFormats, forms.ModelForm):
    """What a facility edits through its update link: the reviewed fields (name, category, address,
    codes, closure) and the ones that publish at once (contact, hours, capabilities, acceptance)."""

    url = forms.URLField(label="ホームページ", max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Facility
        fields = [
            "name", "name_kana", "category", "postal_code", "address", "care_office_number",
            "medical_institution_id", "corporate_number", "status",
            "phone", "fax", "url", "opening_hours", "capacity", "description",
            *[capability.field for capability in CAPABILITIES],
            "acceptance_status", "acceptance_note", "direct_phone", "liaison_contact",
        ]  # fmt: skip
        widgets = {
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "acceptance_note": forms.Textarea(attrs={"rows": 3}),
        }

    REVIEWED = [
        "name", "name_kana", "category", "postal_code", "address", "care_office_number",
        "medical_institution_id", "corporate_number", "status",
    ]  # fmt: skip
    IMMEDIATE = ["phone", "fax", "url", "opening_hours", "capacity", "description"]
    PROFESSIONAL = ["direct_phone", "liaison_contact"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for capability in CAPABILITIES:
            self.fields[capability.field] = _tri_state_field(capability.label)
            value = getattr(self.instance, capability.field)
            self.initial[capability.field] = {True: "true", False: "false"}.get(value, "")
        for name in ("care_office_number", "medical_institution_id"):
            self.fields[name].required = False

    def validate_unique(self):
        # Codes are checked when the municipality approves the change, not here.
        pass

    def field_groups(self):
        return [
            ("受入状況（すぐに公開されます）", [self["acceptance_status"], self["acceptance_note"]]),
            ("連絡先・営業時間など（すぐに公開されます）", [self[name] for name in self.IMMEDIATE]),
            ("在宅医療・介護の対応（すぐに公開されます）", [self[c.field] for c in CAPABILITIES]),
            ("専門職向けの連携窓口（すぐに反映されます）", [self[name] for name in self.PROFESSIONAL]),
            (
                "名称・種別・所在地・番号・廃止（市町村の確認後に公開されます）",
                [self[name] for name in self.REVIEWED],
            ),
        ]


class ContactForm(forms.Form):
    email = forms.EmailField(label="連絡先メールアドレス", max_length=254)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="却下の理由（申請元にメールで伝えます）", widget=forms.Textarea(attrs={"rows": 3})
    )


def _offsets(text: str) -> list[int]:
    parts = [part.strip() for part in text.replace("、", ",").replace("，", ",").split(",") if part.strip()]
    try:
        values = sorted({int(part.replace("＋", "+").replace("－", "-").replace("−", "-")) for part in parts})
    except ValueError as exc:
        raise forms.ValidationError(
            "日数を「-30, 0, 14」のようにカンマ区切りの整数で入力してください。"
        ) from exc
    if not values or len(values) > 6 or not all(-365 <= value <= 365 for value in values):
        raise forms.ValidationError("日数は1〜6個、それぞれ -365〜365 の範囲で入力してください。")
    return values


class FreshnessPolicyForm(forms.Form):
    fresh_days = forms.IntegerField(label="掲載情報の有効日数", min_value=7, max_value=1095)
    reminder_offsets = forms.CharField(
        label="催促の時期（期限からの日数、カンマ区切り）", help_text="例: -30, 0, 14（30日前・当日・14日後）"
    )
    acceptance_fresh_days = forms.IntegerField(label="受入状況の有効日数", min_value=1, max_value=365)
    acceptance_reminder_offsets = forms.CharField(
        label="受入状況の催促の時期（期限からの日数）", help_text="例: 0, 7"
    )

    def clean_reminder_offsets(self):
        return _offsets(self.cleaned_data["reminder_offsets"])

    def clean_acceptance_reminder_offsets(self):
        return _offsets(self.cleaned_data["acceptance_reminder_offsets"])
