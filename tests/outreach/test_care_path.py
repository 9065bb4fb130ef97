"""The 認知症ケアパス rules: who writes a municipality's care path, which directory entries a cell may
list (and why not), and that a refused save writes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from renkei.core import permissions
from renkei.core.models import Municipality, Organization, Region, User
from renkei.directory.catalog import Category, FacilityStatus
from renkei.outreach.models import CarePathCell, DementiaCarePath
from renkei.outreach.services import care_path
from renkei.outreach.services.care_path import CarePathError
from tests.conftest import make_user
from tests.directory.search_fixtures import make_facility


@pytest.fixture
def hachinohe_staff(hachinohe) -> User:
    """Hana works in 八戸市's 高齢福祉課."""
    office = Organization.objects.create(
        name="八戸市役所 高齢福祉課", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=hachinohe
    )
    return make_user("hana", office, User.Role.MUNICIPALITY_STAFF, full_name="八戸 ハナ")


@pytest.fixture
def path(hachinohe_staff, hachinohe) -> DementiaCarePath:
    return care_path.care_path_for_editing(hachinohe_staff, hachinohe)


def messages(exc: pytest.ExceptionInfo[CarePathError]) -> list[str]:
    return [error["message"] for error in exc.value.errors]


# --- who writes ---


def test_municipality_staff_write_their_own_care_path_only(hachinohe_staff, bob, hachinohe, gonohe):
    assert permissions.can_edit_dementia_care_path(hachinohe_staff, hachinohe)
    assert not permissions.can_edit_dementia_care_path(hachinohe_staff, gonohe)
    assert not permissions.can_edit_dementia_care_path(bob, hachinohe)
    with pytest.raises(PermissionDenied):
        care_path.care_path_for_editing(bob, hachinohe)
    assert not DementiaCarePath.objects.exists()


def test_region_administrators_write_every_municipalitys_care_path(alice, hachinohe, gonohe):
    assert permissions.can_edit_dementia_care_path(alice, gonohe)
    assert set(permissions.dementia_care_path_municipalities(alice)) == set(
        Municipality.objects.filter(region=hachinohe.region)
    )


def test_professionals_and_anonymous_visitors_write_no_care_path(carol, hachinohe, path):
    assert not permissions.can_edit_dementia_care_path(carol, hachinohe)
    assert not permissions.can_edit_dementia_care_path(None, hachinohe)
    assert not permissions.dementia_care_path_municipalities(carol).exists()
    with pytest.raises(PermissionDenied):
        care_path.save_cell(carol, path, "awareness", "consultation", text="勝手に", facility_ids=[])
    with pytest.raises(PermissionDenied):
        care_path.set_published(carol, path, True)
    path.refresh_from_db()
    assert not path.published and not path.cells.exists()


def test_another_municipalitys_staff_cannot_change_a_cell(bob, path, directory):
    with pytest.raises(PermissionDenied):
        care_path.save_cell(
            bob, path, "early", "medical", text="五戸から", facility_ids=[directory["minato_nurse"].pk]
        )
    assert not CarePathCell.objects.exists()


# --- what a cell holds ---


def test_the_first_edit_creates_a_draft_titled_after_the_municipality(path, hachinohe_staff, hachinohe):
    assert path.title == "八戸市 認知症ケアパス"
    assert not path.published
    assert care_path.care_path_for_editing(hachinohe_staff, hachinohe).pk == path.pk  # one per municipality


def test_a_cell_keeps_its_text_and_entries_in_the_order_chosen(hachinohe_staff, path, directory):
    nurse, clinic, gonohe = directory["minato_nurse"], directory["nakai_clinic"], directory["gonohe_nurse"]
    care_path.save_cell(
        hachinohe_staff, path, "awareness", "consultation",
        text="  もの忘れが気になったら地域包括支援センターへ  ",
        facility_ids=[clinic.pk, gonohe.pk, nurse.pk, clinic.pk],
    )  # fmt: skip
    cell = care_path.cell_of(path, "awareness", "consultation")
    assert cell is not None
    assert cell.text == "もの忘れが気になったら地域包括支援センターへ"
    assert [entry.facility.name for entry in cell.entries.all()] == [
        "なかい内科クリニック",
        "五戸ナースステーション",  # another municipality of the region is allowed
        "みなと訪問看護ステーション",
    ]
    care_path.save_cell(hachinohe_staff, path, "awareness", "consultation", text="", facility_ids=[nurse.pk])
    assert [entry.facility.name for entry in cell.entries.all()] == ["みなと訪問看護ステーション"]
    path.refresh_from_db()
    assert path.updated_by == hachinohe_staff


def test_unknown_closed_paused_and_outside_entries_are_refused_with_their_reasons(
    hachinohe_staff, path, directory
):
    paused = make_facility(
        "休止中デイサービス", "きゅうしちゅうでいさーびす", Category.DAY_SERVICE, "022039",
        status=FacilityStatus.SUSPENDED,
    )  # fmt: skip
    other = Region.objects.create(slug="elsewhere", name="別の圏域", short_name="別", prefecture="岩手県")
    Municipality.objects.create(code="032018", name="盛岡市", prefecture="岩手県", region=other)
    outside = make_facility("盛岡もりの相談室", "もりおかもりのそうだんしつ", Category.OTHER, "032018")
    with pytest.raises(CarePathError) as refused:
        care_path.save_cell(
            hachinohe_staff, path, "middle", "care", text="デイサービスで日中を過ごす",
            facility_ids=[directory["minato_nurse"].pk, 999_999, directory["closed_day"].pk, paused.pk, outside.pk],
        )  # fmt: skip
    assert messages(refused) == [
        "番号 999999 の資源は見つかりません。",
        "「旧みなとデイサービス」は廃止されているため載せられません。",
        "「休止中デイサービス」は休止中のため載せられません。",
        "「盛岡もりの相談室」はこの圏域の資源ではないため載せられません。",
    ]
    assert refused.value.field == "facilities"
    assert not CarePathCell.objects.exists()


def test_a_refused_save_leaves_the_cell_as_it_was(hachinohe_staff, path, directory):
    nurse = directory["minato_nurse"]
    care_path.save_cell(hachinohe_staff, path, "late", "medical", text="訪問看護", facility_ids=[nurse.pk])
    with pytest.raises(CarePathError):
        care_path.save_cell(
            hachinohe_staff, path, "late", "medical", text="書き換え",
            facility_ids=[directory["nakai_clinic"].pk, 123_456],
        )  # fmt: skip
    cell = CarePathCell.objects.get(care_path=path, stage="late", kind="medical")
    assert cell.text == "訪問看護"
    assert [entry.facility_id for entry in cell.entries.all()] == [nurse.pk]


def test_text_longer_than_400_characters_and_more_than_ten_entries_are_refused(hachinohe_staff, path):
    many = [
        make_facility(f"サロン{n}", f"さろん{n}", Category.GATHERING_PLACE, "022039").pk for n in range(11)
    ]
    with pytest.raises(CarePathError) as refused:
        care_path.save_cell(hachinohe_staff, path, "early", "daily_life", text="あ" * 401, facility_ids=many)
    assert messages(refused) == [
        "説明は400字以内で入力してください（いま401字）。",
        "1つの欄に載せられる資源は10件までです。",
    ]
    care_path.save_cell(hachinohe_staff, path, "early", "daily_life", text="あ" * 400, facility_ids=many[:10])
    assert CarePathCell.objects.get(stage="early", kind="daily_life").entries.count() == 10


def test_an_unknown_stage_or_kind_is_not_found(hachinohe_staff, path):
    from django.http import Http404

    with pytest.raises(Http404):
        care_path.save_cell(hachinohe_staff, path, "someday", "consultation", text="", facility_ids=[])
    with pytest.raises(Http404):
        care_path.cell_of(path, "early", "money")


def test_title_is_required_and_introduction_bounded(hachinohe_staff, path):
    with pytest.raises(CarePathError) as refused:
        care_path.save_settings(hachinohe_staff, path, title=" ", introduction="あ" * 1001)
    assert messages(refused) == [
        "題名を入力してください。",
        "「はじめに」は1000字以内で入力してください（いま1001字）。",
    ]
    path.refresh_from_db()
    assert path.title == "八戸市 認知症ケアパス"
    care_path.save_settings(hachinohe_staff, path, title="八戸市の認知症ケアパス", introduction="はじめに")
    path.refresh_from_db()
    assert (path.title, path.introduction) == ("八戸市の認知症ケアパス", "はじめに")


# --- the grid ---


def test_the_grid_has_every_stage_and_kind_and_hides_entries_closed_since(hachinohe_staff, path, directory):
    nurse, clinic = directory["minato_nurse"], directory["nakai_clinic"]
    care_path.save_cell(
        hachinohe_staff, path, "end_of_life", "medical", text="家で看取る", facility_ids=[nurse.pk, clinic.pk]
    )
    clinic.status = FacilityStatus.CLOSED
    clinic.save(update_fields=["status"])
    staff_view = care_path.grid(path, for_residents=False)
    assert [label for label, _cells in staff_view.by_stage] == ["気づき", "初期", "中期", "後期", "終末期"]
    assert [label for label, _cells in staff_view.by_kind] == [
        "相談", "医療", "介護", "生活支援", "家族支援", "住まい",
    ]  # fmt: skip
    cell = staff_view.cells["end_of_life", "medical"]
    assert [(e.name, e.listable) for e in cell.entries] == [
        ("みなと訪問看護ステーション", True),
        ("なかい内科クリニック", False),
    ]
    public = care_path.grid(path, for_residents=True).cells["end_of_life", "medical"]
    assert [(e.name, e.phone, e.address, e.verified) for e in public.entries] == [
        ("みなと訪問看護ステーション", "0178-00-0001", "青森県八戸市湊町字館鼻1-1", "2026年10月1日")
    ]
    assert public.text == "家で看取る"
    assert care_path.grid(path, for_residents=True).cells["awareness", "housing"].is_empty


def test_search_finds_entries_by_name_and_says_which_cannot_be_added(path, hachinohe, directory):
    found = care_path.search_candidates(hachinohe, "訪問看護", whole_region=False)
    assert [c.facility.name for c in found] == ["櫛引訪問看護ステーション", "みなと訪問看護ステーション"]
    everywhere = care_path.search_candidates(hachinohe, "ナース", whole_region=True)
    assert [(c.facility.name, c.refusal) for c in everywhere] == [("五戸ナースステーション", "")]
    assert care_path.search_candidates(hachinohe, "  ", whole_region=True) == []


def test_publishing_makes_the_care_path_the_public_one(hachinohe_staff, path, hachinohe):
    assert care_path.published_care_path(hachinohe) is None
    care_path.set_published(hachinohe_staff, path, True)
    assert care_path.published_care_path(hachinohe) == path
    care_path.set_published(hachinohe_staff, path, False)
    assert care_path.published_care_path(hachinohe) is None
