from __future__ import annotations

from typing import Any

from django import forms

from renkei.core import permissions
from renkei.core.formats import tidy_or_keep
from renkei.core.models import Organization
from renkei.directory.catalog import CAPABILITIES, SERVICE_TYPES
from renkei.directory.models import FIELD_CLEANERS, Facility

TRI_STATE = [("", "不明"), ("true", "対応可"), ("false", "対応不可")]


def _tri_state_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=TRI_STATE,
        required=False,
        coerce=lambda value: {"true": True, "false": False}.get(value),
        empty_value=None,
    )


class _FieldFormats:
    """The fields with a format as both facility forms take them: cleaned to the stored form
    (full-width digits, other dashes, a missing hyphen) by the same cleaners as the importers; the
    model fields' validators then refuse what is still not in the format. A blank code is none."""

    cleaned_data: dict[str, Any]

    def _clean_format(self, name: str) -> str | None:
        value = tidy_or_keep(FIELD_CLEANERS[name], self.cleaned_data.get(name))
        return value or (None if Facility._meta.get_field(name).null else "")

    def clean_care_office_number(self) -> str | None:
        return self._clean_format("care_office_number")

    def clean_medical_institution_id(self) -> str | None:
        return self._clean_format("medical_institution_id")

    def clean_corporate_number(self) -> str | None:
        return self._clean_format("corporate_number")

    def clean_postal_code(self) -> str | None:
        return self._clean_format("postal_code")

    def clean_phone(self) -> str | None:
        return self._clean_format("phone")

    def clean_fax(self) -> str | None:
        return self._clean_format("fax")

    def clean_direct_phone(self) -> str | None:
        return self._clean_format("direct_phone")


class _LineFeeds:
    """Browsers send a textarea's line breaks as CR LF; the stored text has LF. Without this an
    untouched form would save every multi-line field as changed (a phantom version in the history)."""

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = value.replace("\r\n", "\n")
        return cleaned


class FacilityForm(_LineFeeds, _FieldFormats, forms.ModelForm):
    """The staff edit form. Capabilities are three-way: 対応可 / 対応不可 / 不明."""

    url = forms.URLField(label="ホームページ", max_length=500, required=False, assume_scheme="https")
    services = forms.MultipleChoiceField(
        label="提供する介護サービス",
        required=False,
        choices=[(service.code, f"{service.code} {service.name}") for service in SERVICE_TYPES.values()],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Facility
        fields = [
            "name", "name_kana", "short_name", "category", "municipality", "status",
            "postal_code", "address", "latitude", "longitude", "phone", "fax", "url",
            "opening_hours", "capacity", "beds", "description", "corporation_name",
            "care_office_number", "medical_institution_id", "corporate_number",
            *[capability.field for capability in CAPABILITIES],
            "acceptance_status", "acceptance_stated_at",
            "direct_phone", "liaison_contact", "acceptance_note", "professional_note", "organization",
        ]  # fmt: skip
        widgets = {
            "acceptance_stated_at": forms.DateInput(attrs={"type": "date"}),
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "acceptance_note": forms.Textarea(attrs={"rows": 3}),
            "professional_note": forms.Textarea(attrs={"rows": 3}),
        }

    PUBLIC_FIELDS = [
        "name", "name_kana", "short_name", "category", "municipality", "status", "postal_code", "address",
        "latitude", "longitude", "phone", "fax", "url", "opening_hours", "capacity", "beds", "description",
        "corporation_name",
    ]  # fmt: skip
    CODE_FIELDS = ["care_office_number", "medical_institution_id", "corporate_number", "services"]
    PROFESSIONAL_FIELDS = ["direct_phone", "liaison_contact", "acceptance_note", "professional_note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for capability in CAPABILITIES:
            self.fields[capability.field] = _tri_state_field(capability.label)
            if self.instance.pk:
                value = getattr(self.instance, capability.field)
                self.initial[capability.field] = {True: "true", False: "false"}.get(value, "")
        self.fields["municipality"].queryset = permissions.managed_municipalities(user)
        self.fields["municipality"].empty_label = None
        if self.instance.pk:
            self.initial["services"] = list(self.instance.services.values_list("code", flat=True))
        for name in ("care_office_number", "medical_institution_id"):
            self.fields[name].required = False
        # The facility's own accounts (requirement 4.1): an organisation of the staff member's region
        # whose members then keep the entry current after login.
        organization = self.fields["organization"]
        organization.queryset = Organization.objects.filter(
            municipality__region=permissions.home_region(user)
        ).order_by("municipality__code", "name")
        organization.label = "施設のアカウント（Renkei上の組織）"
        organization.help_text = "選んだ組織の職員は、ログインしてこの施設の掲載情報を確認・更新できます。"
        organization.empty_label = "（なし）"
        organization.label_from_instance = lambda org: f"{org.name}（{org.municipality.name}）"
        organization.error_messages["invalid_choice"] = "選べるのは同じ圏域の組織だけです。"

    def clean_organization(self):
        organization = self.cleaned_data.get("organization")
        if organization is not None:
            taken = Facility.objects.filter(organization=organization).exclude(pk=self.instance.pk).first()
            if taken is not None:
                raise forms.ValidationError(
                    f"「{organization.name}」はすでに「{taken.name}」のアカウントです。"
                )
        return organization

    def clean(self):
        cleaned = super().clean()
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lon is None):
            raise forms.ValidationError("緯度と経度は両方入力するか、両方空欄にしてください。")
        if lat is not None and not (20.0 <= lat <= 46.0 and 122.0 <= lon <= 154.0):
            raise forms.ValidationError("緯度・経度が日本国内の範囲にありません。")
        return cleaned

    def field_groups(self):
        capability_fields = [capability.field for capability in CAPABILITIES]
        acceptance = ["acceptance_status", "acceptance_stated_at"]
        return [
            ("基本情報（公開）", [self[name] for name in self.PUBLIC_FIELDS]),
            ("公的な番号・サービス", [self[name] for name in self.CODE_FIELDS]),
            ("在宅医療・介護の対応", [self[name] for name in capability_fields]),
            ("受入状況", [self[name] for name in acceptance]),
            ("専門職向け（非公開）", [self[name] for name in self.PROFESSIONAL_FIELDS]),
            ("施設のアカウント", [self["organization"]]),
        ]
