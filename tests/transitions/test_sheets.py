"""Sheets a region or municipality defines: definition checks, required answers, versioning, who
may edit, the timeline part and the PDF read back."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied

from renkei.core.models import Region, User
from renkei.transitions.models import SheetStatus, SheetVersion
from renkei.transitions.services import sheets
from renkei.transitions.sheets import schema
from renkei.transitions.sheets.seed import seed_collaboration_sheet
from tests.conftest import make_user

FIELDS = [
    {"key": "condition", "label": "本人の様子", "kind": "long_text", "required": True},
    {
        "key": "purpose",
        "label": "連絡の種類",
        "kind": "choice",
        "required": True,
        "choices": ["相談", "報告"],
    },
]


@pytest.fixture
def staff(hachinohe) -> User:
    from renkei.core.models import Organization

    office = Organization.objects.create(
        name="八戸市役所", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=hachinohe
    )
    return make_user("staff", office, User.Role.MUNICIPALITY_STAFF)


def test_definition_errors_name_each_problem():
    assert schema.definition_errors(FIELDS) == []
    assert schema.definition_errors([{"key": "a", "label": "A", "kind": "choice", "required": True}]) == [
        "1番目の項目: 選択肢は「選択」の項目にだけ、2つ以上入力してください（1つ100文字まで、30個まで）。"
    ]
    assert schema.definition_errors([*FIELDS, FIELDS[0]]) == ["識別名「condition」が重複しています。"]


def test_required_answers_are_refused_field_by_field():
    assert schema.answer_errors(FIELDS, {"condition": " "}) == [
        {"field": "condition", "message": "「本人の様子」は必須です。"},
        {"field": "purpose", "message": "「連絡の種類」は必須です。"},
    ]


def test_only_the_owner_staff_edit(staff, alice, gonohe, hachinohe):
    definition = sheets.create_definition(staff, hachinohe, "八戸市 連絡票", "renraku", FIELDS)
    with pytest.raises(PermissionDenied):
        sheets.create_definition(staff, gonohe, "五戸町 連絡票", "x", FIELDS)
    with pytest.raises(PermissionDenied):
        sheets.save_draft(alice, definition.versions.get().pk, FIELDS)  # region admin: region sheets only


def test_old_filled_sheet_keeps_its_version(staff, cm, patient, hachinohe):
    definition = sheets.create_definition(staff, hachinohe, "八戸市 連絡票", "renraku", FIELDS)
    first = sheets.publish(staff, definition.versions.get().pk)
    filled = sheets.fill_sheet(cm, patient.pk, first.pk, {"condition": "元気です。", "purpose": "報告"})
    draft = sheets.new_version(staff, definition.pk)
    sheets.save_draft(staff, draft.pk, [{**FIELDS[0], "label": "現在の状態"}])
    sheets.publish(staff, draft.pk)
    first.refresh_from_db()
    assert first.status == SheetStatus.SUPERSEDED
    filled.refresh_from_db()
    assert [(row.label, row.text) for row in filled.rows] == [
        ("本人の様子", "元気です。"),
        ("連絡の種類", "報告"),
    ]
    _, content = sheets.print_filled_sheet(cm, patient.pk, filled.post_id)
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
    assert "八 戸 市 連 絡 票" in text and "本人の様子" in text and "元気です。" in text and "第1版" in text


def test_every_region_has_the_collaboration_sheet_published(hachinohe):
    """八戸 was there before the sheets: the migration gave it the sheet. A region created later has
    it from its creation. Seeding again creates nothing."""
    definition, created = seed_collaboration_sheet(hachinohe.region)
    assert not created
    labels = [field["label"] for field in definition.versions.get(status=SheetStatus.PUBLISHED).fields]
    assert labels[:3] == ["宛先（職種・事業所）", "現在の状況", "食事"]

    aomori = Region.objects.create(
        slug="aomori", name="青森地域保健医療圏域", short_name="青森圏域", prefecture="青森県"
    )
    version = SheetVersion.objects.get(definition__region=aomori)
    assert (version.definition.key, version.definition.name) == ("collaboration-sheet", "多職種連携シート")
    assert (version.number, version.status) == (1, SheetStatus.PUBLISHED)
    assert [field["key"] for field in version.fields] == [
        "recipient",
        "current_status",
        "adl_eating",
        "adl_toileting",
        "adl_bathing",
        "adl_mobility",
        "adl_dressing",
        "adl_notes",
        "procedures",
        "procedures_notes",
        "request",
        "contact_person",
        "contact_phone",
    ]
    assert seed_collaboration_sheet(aomori) == (version.definition, False)


def test_the_timeline_api_names_the_sheet_a_post_carries(client, staff, cm, patient, hachinohe):
    from tests.core.totp import verified_login

    definition = sheets.create_definition(staff, hachinohe, "八戸市 連絡票", "renraku", FIELDS)
    first = sheets.publish(staff, definition.versions.get().pk)
    filled = sheets.fill_sheet(cm, patient.pk, first.pk, {"condition": "元気です。", "purpose": "報告"})
    verified_login(client, cm)
    items = client.get(f"/api/v1/patients/{patient.pk}/posts").json()["items"]
    assert [(item["id"], item["is_collaboration_sheet"], item["sheet"]) for item in items] == [
        (filled.post_id, False, {"key": "renraku", "name": "八戸市 連絡票", "version": 1})
    ]
