"""A tally sheet imported twice is recorded once; the second import says how many rows were there."""

from __future__ import annotations

import time_machine

from renkei.consultations.models import Consultation
from tests.consultations.conftest import tokyo
from tests.consultations.test_import import GOOD_ROWS, csv_bytes, upload
from tests.core.totp import verified_login

# Two identical lines: two phone calls on one day that the old sheet could not tell apart.
TWINS = "2023/07/03,電話,家族,,,,,認知症,,情報提供,,,終結,,"


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_desk_imports_the_same_sheet_twice_and_keeps_one_copy(client, dan, gonohe_desk):
    verified_login(client, dan)
    sheet = csv_bytes([*GOOD_ROWS, TWINS, TWINS])
    assert upload(client, "old.csv", sheet).status_code == 302
    assert Consultation.objects.filter(desk=gonohe_desk).count() == 5

    response = upload(client, "old.csv", sheet.decode().encode("cp932"))
    assert response.status_code == 302
    assert Consultation.objects.filter(desk=gonohe_desk).count() == 5
    page = client.get(response["Location"]).content.decode()
    assert "0件の相談記録を取り込みました。5件はすでに取り込み済みのため、追加しませんでした。" in page


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_a_later_sheet_with_one_more_identical_call_adds_only_that_call(client, dan, gonohe_desk):
    verified_login(client, dan)
    upload(client, "old.csv", csv_bytes([TWINS, TWINS]))
    response = upload(client, "old.csv", csv_bytes([TWINS, TWINS, TWINS]))
    assert response.status_code == 302
    assert Consultation.objects.filter(desk=gonohe_desk).count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "1件の相談記録を取り込みました。2件はすでに取り込み済みのため、追加しませんでした。" in page


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_another_desk_importing_the_same_sheet_gets_its_own_records(
    client, dan, erin, gonohe_desk, hachinohe_desk
):
    verified_login(client, dan)
    upload(client, "old.csv", csv_bytes(GOOD_ROWS))
    client.logout()
    verified_login(client, erin)
    assert upload(client, "old.csv", csv_bytes(GOOD_ROWS)).status_code == 302
    assert Consultation.objects.filter(desk=gonohe_desk).count() == 3
    assert Consultation.objects.filter(desk=hachinohe_desk).count() == 3
