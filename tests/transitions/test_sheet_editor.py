"""The definition editor page: the formset's rows become the draft's fields (``forms.fields_from``),
and a draft the schema refuses shows the Japanese reason and leaves the draft as it was."""

from __future__ import annotations

import pytest

from renkei.core.models import Organization, User
from renkei.transitions.models import SheetVersion
from renkei.transitions.services import sheets
from tests.conftest import make_user
from tests.core.totp import verified_login

SAVED = [{"key": "condition", "label": "本人の様子", "kind": "long_text", "required": True}]


@pytest.fixture
def staff(hachinohe) -> User:
    office = Organization.objects.create(
        name="八戸市役所", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=hachinohe
    )
    return make_user("staff", office, User.Role.MUNICIPALITY_STAFF)


@pytest.fixture
def draft(staff, hachinohe) -> SheetVersion:
    definition = sheets.create_definition(staff, hachinohe, "八戸市 連絡票", "renraku", SAVED)
    return definition.versions.get()


def _rows(*rows: dict[str, str]) -> dict[str, str]:
    """The editor's POST: the management form and one set of inputs per row."""
    data = {
        "fields-TOTAL_FORMS": str(len(rows)),
        "fields-INITIAL_FORMS": "1",
        "fields-MIN_NUM_FORMS": "0",
        "fields-MAX_NUM_FORMS": "60",
    }
    for index, row in enumerate(rows):
        for name in ("label", "kind", "choices", "help", "key"):
            data[f"fields-{index}-{name}"] = row.get(name, "")
        if row.get("required"):
            data[f"fields-{index}-required"] = "on"
        if row.get("DELETE"):
            data[f"fields-{index}-DELETE"] = "on"
    return data


def test_rows_become_the_drafts_fields(client, staff, draft):
    verified_login(client, staff)
    response = client.post(
        f"/transitions/sheets/{draft.definition_id}/",
        _rows(
            {
                "label": "本人の様子",
                "kind": "long_text",
                "key": "condition",
                "required": "on",
                "DELETE": "on",
            },
            {"label": " 連絡の種類 ", "kind": "choice", "choices": "相談\n\n 報告 \n", "required": "on"},
            {"label": "次回の訪問日", "kind": "date", "help": "未定なら空欄", "key": "next_visit"},
            {"label": "", "kind": "short_text", "help": "項目名のない行は保存されない"},
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.fields == [
        {
            "key": "item_1",
            "label": "連絡の種類",
            "kind": "choice",
            "required": True,
            "choices": ["相談", "報告"],
        },
        {
            "key": "next_visit",
            "label": "次回の訪問日",
            "kind": "date",
            "required": False,
            "help": "未定なら空欄",
        },
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            (
                {"label": "本人の様子", "kind": "long_text", "key": "condition"},
                {"label": "現在の状態", "kind": "short_text", "key": "condition"},
            ),
            "識別名「condition」が重複しています。",
        ),
        (
            (
                {"label": "本人の様子", "kind": "long_text", "key": "condition"},
                {"label": "連絡の種類", "kind": "choice"},
            ),
            "2番目の項目: 選択肢は「選択」の項目にだけ、2つ以上入力してください（1つ100文字まで、30個まで）。",
        ),
    ],
    ids=["duplicate key", "choice without choices"],
)
def test_a_bad_draft_shows_why_and_changes_nothing(client, staff, draft, rows, message):
    before = SheetVersion.objects.values("fields", "updated_at").get(pk=draft.pk)
    verified_login(client, staff)
    response = client.post(f"/transitions/sheets/{draft.definition_id}/", _rows(*rows))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert SheetVersion.objects.values("fields", "updated_at").get(pk=draft.pk) == before
    assert before["fields"] == SAVED
