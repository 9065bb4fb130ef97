"""Region administrators keep the list of content categories; old records keep theirs."""

from __future__ import annotations

from renkei.consultations import services
from renkei.consultations.models import ConsultationCategory
from tests.consultations.conftest import make_consultation, tokyo
from tests.core.totp import verified_login


def test_the_region_starts_with_the_eleven_categories_of_the_issue(categories):
    assert list(categories) == [
        "在宅医療・訪問診療先の相談",
        "入退院・退院後の生活",
        "介護保険・サービス利用",
        "認知症",
        "看取り・ACP",
        "医療機関との連携",
        "権利擁護・成年後見",
        "虐待",
        "経済的問題",
        "住まい",
        "その他",
    ]


def test_region_admin_adds_renames_reorders_and_deactivates_a_category(client, alice, region):
    verified_login(client, alice)
    response = client.post("/consultations/categories/", {"action": "add", "name": "難病"})
    assert response.status_code == 302
    added = ConsultationCategory.objects.get(region=region, name="難病")
    assert (
        list(services.categories_for(region).order_by("order").values_list("name", flat=True))[-1] == "難病"
    )

    client.post(
        "/consultations/categories/", {"action": "rename", "category": added.pk, "name": "難病・特定疾患"}
    )
    client.post("/consultations/categories/", {"action": "up", "category": added.pk})
    names = list(services.categories_for(region).order_by("order").values_list("name", flat=True))
    assert names[-2:] == ["難病・特定疾患", "その他"]

    client.post("/consultations/categories/", {"action": "deactivate", "category": added.pk})
    added.refresh_from_db()
    assert not added.is_active
    assert "難病・特定疾患" not in client.get("/consultations/categories/").context["categories"].filter(
        is_active=True
    ).values_list("name", flat=True)


def test_duplicate_and_empty_names_are_refused_in_japanese(client, alice, categories):
    verified_login(client, alice)
    response = client.post("/consultations/categories/", {"action": "add", "name": "認知症"})
    assert response.status_code == 400
    assert "区分「認知症」はすでにあります。" in response.content.decode()
    response = client.post(
        "/consultations/categories/", {"action": "rename", "category": categories["虐待"].pk, "name": " "}
    )
    assert "区分名を入力してください。" in response.content.decode()
    assert client.post("/consultations/categories/", {"action": "rename", "category": "x"}).status_code == 400


def test_a_deactivated_category_stays_on_old_records_and_in_statistics_but_not_in_the_form(
    client, dan, alice, gonohe_desk, categories
):
    abuse = categories["虐待"]
    make_consultation(gonohe_desk, tokyo(2024, 5, 1, 9, 0), categories=[abuse])
    verified_login(client, alice)
    client.post("/consultations/categories/", {"action": "deactivate", "category": abuse.pk})

    verified_login(client, dan)
    form = client.get("/consultations/new/").context["form"]
    assert abuse not in form.fields["categories"].queryset
    result = services.compute_statistics([gonohe_desk], services.Period.for_fiscal_year(2024), "")
    assert {row.label: row.values for row in result.table("category").rows}["虐待（使用終了）"] == [1]
