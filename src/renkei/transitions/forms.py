from __future__ import annotations

from collections.abc import Iterable

from django import forms

from renkei.core.models import Organization, User
from renkei.directory.catalog import Category
from renkei.directory.models import Facility
from renkei.sharing.models import Patient
from renkei.transitions.documents import FIELDS, FieldSpec
from renkei.transitions.models import Episode, TransitionRule


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name}（{obj.organization}）"


class EpisodeForm(forms.ModelForm):
    liaison_user = PersonChoiceField(
        User.objects.none(),
        required=False,
        label="地域連携室の担当者（Renkeiの利用者）",
        help_text="病院がRenkeiを使っている場合、担当者はこの入院と送られた文書を見られます。",
    )
    care_manager = PersonChoiceField(User.objects.none(), required=False, label="担当ケアマネジャー")

    class Meta:
        model = Episode
        fields = [
            "hospital_facility",
            "hospital_name",
            "ward",
            "admitted_at",
            "expected_discharge",
            "status",
            "discharged_on",
            "liaison_name",
            "liaison_phone",
            "liaison_user",
            "care_manager",
        ]
        widgets = {
            "admitted_at": DateTimeInput(),
            "expected_discharge": DateInput(),
            "discharged_on": DateInput(),
            "liaison_phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }
        help_texts = {
            "hospital_facility": "圏域外の病院も選べます。",
            "hospital_name": "施設・資源に無い病院の場合に記入してください。",
            "admitted_at": "入院時情報提供の期限はこの日時から数えます。",
        }

    def _choice(self, name: str) -> forms.ModelChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)  # the foreign keys of the model
        return field

    def __init__(self, *args, patient: Patient, fixed: Iterable[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hospital_name"].required = False
        hospitals = Facility.objects.filter(category=Category.HOSPITAL).order_by(
            "municipality__code", "name_kana"
        )
        self._choice("hospital_facility").queryset = hospitals
        region_id = patient.organization.municipality.region_id
        self._choice("liaison_user").queryset = User.objects.filter(
            is_active=True,
            organization__kind=Organization.Kind.HOSPITAL,
            organization__municipality__region_id=region_id,
        ).order_by("full_name_kana", "pk")
        self._choice("care_manager").queryset = User.objects.filter(
            care_teams__patient=patient, care_teams__left_at=None
        ).order_by("full_name_kana", "pk")
        for name in fixed:
            # Shown as it is, not as a list of who else could be named (the care team, say).
            field = self._choice(name)
            field.queryset = User.objects.filter(pk=getattr(self.instance, f"{name}_id"))
            field.disabled = True


class ProgressForm(forms.Form):
    at = forms.DateTimeField(label="日時", widget=DateTimeInput())


class RuleForm(forms.ModelForm):
    class Meta:
        model = TransitionRule
        fields = [
            "office_opens",
            "office_closes",
            "admission_sheet_days",
            "admission_sheet_business_days",
            "discharge_contact_days",
            "calendar",
        ]
        widgets = {
            "office_opens": forms.TimeInput(attrs={"type": "time"}),
            "office_closes": forms.TimeInput(attrs={"type": "time"}),
        }


class DocumentForm(forms.Form):
    """The form of one document kind, built from its field list (:mod:`renkei.transitions.documents`);
    the service checks the same list again."""

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        for spec in FIELDS[kind]:
            self.fields[spec.name] = _form_field(spec)


def _form_field(spec: FieldSpec) -> forms.Field:
    common: dict = {"label": spec.label, "required": spec.required}
    if spec.kind == "choice":
        return forms.ChoiceField(choices=[("", "—"), *spec.choices], **common)
    if spec.kind == "date":
        return forms.DateField(widget=DateInput(), **common)
    if spec.kind == "datetime":
        return forms.DateTimeField(widget=DateTimeInput(), **common)
    if spec.kind == "text":
        return forms.CharField(max_length=spec.max_length, **common)
    return forms.CharField(max_length=spec.max_length, widget=forms.Textarea(attrs={"rows": 3}), **common)


class FhirImportForm(forms.Form):
    file = forms.FileField(
        label="FHIR文書（JSON、2MBまで）", help_text="診療情報提供書・退院時サマリー・患者サマリーなど"
    )
    episode = forms.ModelChoiceField(
        Episode.objects.none(), required=False, label="取り込む入院（選ばなければ利用者の記録に）"
    )

    def __init__(self, *args, patient: Patient, fixed: Iterable[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["episode"]
        assert isinstance(field, forms.ModelChoiceField)  # declared above
        field.queryset = patient.admission_episodes.order_by("-admitted_at")
