"""The Excel and CSV reports answer invalid filters like the page: 400 and the Japanese error,
never a file of another period than the one asked for."""

from __future__ import annotations

import pytest
import time_machine

from tests.consultations.conftest import tokyo
from tests.core.totp import verified_login


@pytest.mark.parametrize("path", ["/consultations/statistics.xlsx", "/consultations/statistics.csv"])
@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_report_with_an_unknown_fiscal_year_answers_the_400_page(client, dan, gonohe_desk, path):
    verified_login(client, dan)
    response = client.get(path, {"fiscal_year": "abc"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    assert "正しく選択してください" in response.content.decode()


@pytest.mark.parametrize("path", ["/consultations/statistics.xlsx", "/consultations/statistics.csv"])
@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_report_with_a_reversed_period_answers_the_400_page(client, dan, gonohe_desk, path):
    verified_login(client, dan)
    response = client.get(path, {"fiscal_year": "", "start": "2024-06-01", "end": "2024-04-01"})
    assert response.status_code == 400
    assert "Content-Disposition" not in response
    assert "期間の開始日が終了日より後になっています。" in response.content.decode()
