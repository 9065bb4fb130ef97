"""The operator's yearly report counts the same desks as the region administrator's statistics page:
a desk closed during the year still counts the cases it took while it was open."""

from __future__ import annotations

import io
from io import StringIO

import time_machine
from django.core.management import call_command
from openpyxl import load_workbook

from renkei.core.models import Organization, User
from tests.conftest import make_user
from tests.consultations.conftest import make_consultation, tokyo
from tests.core.totp import verified_login


@time_machine.travel(tokyo(2025, 4, 10, 9, 0), tick=False)
def test_the_report_command_counts_a_desk_closed_during_the_year_like_the_page(
    client, tmp_path, gonohe, gonohe_desk, hachinohe_desk
):
    closed = Organization.objects.create(
        name="五戸町在宅療養相談室", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=gonohe
    )
    make_consultation(gonohe_desk, tokyo(2024, 5, 1, 9, 0))
    make_consultation(hachinohe_desk, tokyo(2024, 6, 1, 9, 0))
    make_consultation(closed, tokyo(2024, 7, 1, 9, 0))
    closed.is_active = False
    closed.save(update_fields=["is_active"])

    admin = make_user("alice", hachinohe_desk, User.Role.REGION_ADMIN)
    verified_login(client, admin)
    page = client.get("/consultations/statistics/", {"fiscal_year": 2024}).context["statistics"]

    target = tmp_path / "report.xlsx"
    out = StringIO()
    call_command("consultations", "report", str(target), "--fiscal-year", "2024", stdout=out)

    assert page.total == 3
    assert f"相談件数 {page.total}件" in out.getvalue()
    desks = list(load_workbook(io.BytesIO(target.read_bytes()))["相談窓口別件数"].iter_rows(values_only=True))
    # The closed desk has its row; one case reads 「5件未満」 to a region administrator (counts only).
    assert ("五戸町在宅療養相談室", "5件未満") in desks
    assert [(row.label, row.values) for row in page.table("desk").rows] == [
        (name, [n]) for name, n in desks[4:-1]
    ]
