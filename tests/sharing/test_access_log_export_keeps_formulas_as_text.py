"""The region's access-log CSV: what people typed (names, organisations) opens as text in Excel,
never as a formula that runs or phones home."""

from __future__ import annotations

import csv
import io

from renkei.core.audit import record_access
from renkei.core.models import AccessLog, Organization, User
from tests.conftest import make_user
from tests.core.totp import verified_login


def test_region_administrator_exports_names_and_organisations_that_look_like_formulas_as_plain_text(
    client, alice, hachinohe, patient
):
    clinic = Organization.objects.create(
        name="+cmd|' /C calc'!A0", kind=Organization.Kind.CLINIC, municipality=hachinohe
    )
    mallory = make_user(
        "mallory", clinic, User.Role.PROFESSIONAL, profession=User.Profession.PHYSICIAN, full_name="=1+2 医師"
    )
    record_access(mallory, action=AccessLog.Action.VIEW, subject_type="patient", subject_id=patient.pk)
    verified_login(client, alice)

    response = client.get("/patients/audit/", {"start": "", "end": "", "format": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][2:4] == ["氏名", "所属"]
    mallory_rows = [row for row in rows[1:] if row[1] == str(mallory.pk)]
    assert len(mallory_rows) == 1
    assert mallory_rows[0][2] == "'=1+2 医師"
    assert mallory_rows[0][3] == "'+cmd|' /C calc'!A0"
    # Ordinary names are left exactly as typed.
    owner_row = rows[1]
    assert owner_row[2:4] == ["三戸 ケアマネ", "テスト居宅介護支援事業所"]
