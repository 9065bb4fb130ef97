"""Every long form shows an error summary at the top that names and links each wrong field."""

from __future__ import annotations

import re

import time_machine

from tests.consultations.conftest import tokyo
from tests.consultations.test_recording import form_data
from tests.core.totp import verified_login


def _summary(page: str) -> str:
    match = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert match, "no error summary"
    return match.group(1)


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_the_consultation_form_names_and_links_each_wrong_field(client, dan, categories, gonohe_desk):
    verified_login(client, dan)

    response = client.post(
        "/consultations/new/", form_data(categories, channel="", minutes_spent="-3", categories=[])
    )

    assert response.status_code == 400
    page = response.content.decode()
    summary = _summary(page)
    # The summary comes before the first field of the form.
    assert page.index('class="error-summary"') < page.index('name="received_at"')
    links = dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary))
    assert links["id_channel_0"] == "相談経路"
    assert links["id_categories_0"] == "相談内容"
    assert links["id_minutes_spent"] == "対応時間（分）"
    for anchor in links:
        assert f'id="{anchor}"' in page
