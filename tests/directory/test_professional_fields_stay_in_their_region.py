from __future__ import annotations

from renkei.core.models import Municipality, Organization, Region, User
from renkei.core.tokens import issue_token
from tests.conftest import make_user


def _bearer(user) -> dict:
    _, text = issue_token(user, "テスト")
    return {"Authorization": f"Bearer {text}"}


def _liaisons(client, headers) -> dict[str, object]:
    body = client.get("/api/v1/facilities", {"q": "みなと"}, headers=headers).json()
    return {row["name"]: row["professional"] for row in body["results"]}


def test_a_professional_of_another_region_sees_only_public_fields_in_the_list(client, directory, carol):
    elsewhere = Region.objects.create(slug="morioka", name="盛岡圏域", short_name="盛岡", prefecture="岩手県")
    morioka = Municipality.objects.create(code="032018", name="盛岡市", prefecture="岩手県", region=elsewhere)
    station = Organization.objects.create(
        name="盛岡の訪問看護", kind=Organization.Kind.VISITING_NURSE_STATION, municipality=morioka
    )
    outsider = make_user("outsider", station, User.Role.PROFESSIONAL, profession=User.Profession.NURSE)

    assert _liaisons(client, _bearer(outsider)) == {"みなと訪問看護ステーション": None}
    own = _liaisons(client, _bearer(carol))["みなと訪問看護ステーション"]
    assert own["liaison_contact"] == "連携担当 山田"
