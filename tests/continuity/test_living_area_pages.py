"""Municipal staff keep their 日常生活圏域 on a page: add, edit, delete; errors in Japanese beside the
field; other municipalities' 圏域 and other users stay out; the cover table follows."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from renkei.continuity.models import LivingArea
from renkei.continuity.services import cover_areas

PAGE = "/continuity/cover/areas/"


def _post_area(client, municipality, name, towns):
    return client.post(PAGE, {"municipality": municipality.pk, "name": name, "towns": towns})


def test_staff_add_edit_and_delete_a_living_area(client, bob, gonohe):
    client.force_login(bob)
    assert "まだ日常生活圏域が登録されていません" in client.get(PAGE).content.decode()

    response = _post_area(client, gonohe, "五戸中央圏域", "古堂\n大字豊間内、倉石中市")
    assert response.status_code == 302
    area = LivingArea.objects.get(municipality=gonohe)
    assert (area.name, area.towns) == ("五戸中央圏域", ["古堂", "豊間内", "倉石中市"])
    page = client.get(PAGE).content.decode()
    assert "五戸中央圏域" in page and "古堂、豊間内、倉石中市" in page

    response = client.post(f"{PAGE}{area.pk}/", {"name": "五戸圏域", "towns": "古堂"})
    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.name, area.towns, area.municipality) == ("五戸圏域", ["古堂"], gonohe)

    cover = client.get("/continuity/cover/").content.decode()
    assert "五戸圏域" in cover and "日常生活圏域を設定" in cover

    assert client.post(f"{PAGE}{area.pk}/delete/").status_code == 302
    assert not LivingArea.objects.exists()


def test_unknown_or_taken_towns_are_refused_beside_the_field(client, bob, gonohe):
    client.force_login(bob)
    response = _post_area(client, gonohe, "X圏域", "古堂\n湊町")
    assert response.status_code == 400
    assert "五戸町に無い町字です: 湊町" in response.content.decode()
    assert _post_area(client, gonohe, "A圏域", "古堂").status_code == 302
    response = _post_area(client, gonohe, "B圏域", "字古堂")
    assert response.status_code == 400
    assert "ほかの圏域に含まれている町字です: 古堂（A圏域）" in response.content.decode()
    response = _post_area(client, gonohe, "C圏域", " 、\n")
    assert response.status_code == 400
    assert "町字を1つ以上入力してください。" in response.content.decode()
    assert list(LivingArea.objects.values_list("name", flat=True)) == ["A圏域"]


def test_other_municipalities_and_other_users_stay_out(client, bob, alice, carol, gonohe, hachinohe):
    theirs = cover_areas.save_living_area(alice, hachinohe, "湊圏域", ["湊町"])
    client.force_login(bob)
    # 五戸町's staff cannot add for 八戸市, nor open, edit or delete its 圏域.
    response = _post_area(client, hachinohe, "白銀圏域", "白銀町")
    assert response.status_code == 400
    assert not LivingArea.objects.filter(name="白銀圏域").exists()
    assert "湊圏域" not in client.get(PAGE).content.decode()
    assert client.get(f"{PAGE}{theirs.pk}/").status_code == 404
    assert client.post(f"{PAGE}{theirs.pk}/", {"name": "乗っ取り", "towns": "湊町"}).status_code == 404
    assert client.post(f"{PAGE}{theirs.pk}/delete/").status_code == 404
    assert LivingArea.objects.get(pk=theirs.pk).name == "湊圏域"
    # A visiting nurse keeps no municipality's records.
    client.force_login(carol)
    assert client.get(PAGE).status_code == 403
    assert client.post(f"{PAGE}{theirs.pk}/delete/").status_code == 404
    # The region's administrator keeps every municipality's.
    client.force_login(alice)
    assert "湊圏域" in client.get(PAGE).content.decode()
    client.logout()
    assert client.get(PAGE).status_code in (302, 403)
    assert LivingArea.objects.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_the_demo_gives_shingo_two_living_areas_once():
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert sorted(LivingArea.objects.values_list("municipality__name", "name", "towns")) == [
        ("新郷村", "戸来圏域", ["戸来"]),
        ("新郷村", "西越圏域", ["西越"]),
    ]
