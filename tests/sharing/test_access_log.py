from __future__ import annotations

import csv
import io

from renkei.core.models import AccessLog
from tests.core.totp import verified_login
from tests.sharing.conftest import add_member, break_glass, give_consent, register, write_post


def test_owner_sees_who_looked_at_the_record(client, cm, carol, er_doctor, patient):
    give_consent(patient, cm)
    add_member(patient, cm, carol)
    verified_login(client, carol)
    client.get(f"/patients/{patient.pk}/")
    break_glass(er_doctor, patient, "救急搬送のため服薬を確認します（意識レベル低下）")
    verified_login(client, cm)
    page = client.get(f"/patients/{patient.pk}/access-log/")
    assert "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert "八戸 キャロル" in text and "救急 医師" in text
    assert "救急搬送のため服薬を確認します（意識レベル低下）" in text


def test_member_who_is_not_the_owner_cannot_see_the_access_log(client, cm, carol, patient):
    give_consent(patient, cm)
    add_member(patient, cm, carol)
    verified_login(client, carol)
    assert client.get(f"/patients/{patient.pk}/access-log/").status_code == 403


def test_region_administrator_exports_the_access_log_without_record_contents(
    client, cm, carol, alice, er_doctor
):
    patient = register(cm)
    give_consent(patient, cm)
    add_member(patient, cm, carol)
    write_post(patient, cm, "服薬変更: アムロジピン")
    verified_login(client, carol)
    client.get(f"/patients/{patient.pk}/")
    break_glass(er_doctor, patient, "救急搬送のため服薬を確認します（意識レベル低下）")
    verified_login(client, alice)
    assert client.get(f"/patients/{patient.pk}/").status_code == 403
    response = client.get("/patients/audit/", {"start": "", "end": "", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["日時", "利用者アカウントID", "氏名", "所属", "操作"]
    # registration, consent, invitation, post, carol's read, the break-glass, alice's refused attempt
    assert [(row[2], row[4], row[7]) for row in rows[1:]] == [
        ("三戸 ケアマネ", "作成", "利用者の記録"),
        ("三戸 ケアマネ", "作成", "同意"),
        ("三戸 ケアマネ", "作成", "ケアチームの一員"),
        ("三戸 ケアマネ", "作成", "投稿"),
        ("八戸 キャロル", "閲覧", "利用者の記録"),
        ("救急 医師", "緊急アクセス", "緊急アクセス"),
        ("青森 アリス", "拒否", "利用者の記録"),
    ]
    assert {row[5] for row in rows[1:]} == {"利用者の記録"}
    assert {row[10] for row in rows[1:]} == {"画面", "コマンド"}  # the helpers write outside a request
    assert any(row[11] == "要確認" for row in rows[1:])
    # Nor the break-the-glass reason, a health detail that only the record's owners read.
    assert len(rows[0]) == 12
    for content in ("架空", "花子", "アムロジピン", "1938", "救急搬送", "服薬"):
        assert content not in text
    assert AccessLog.objects.filter(user=alice, action=AccessLog.Action.EXPORT).count() == 1


def test_professionals_cannot_export_the_access_log(client, cm):
    verified_login(client, cm)
    assert client.get("/patients/audit/").status_code == 403
