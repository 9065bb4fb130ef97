"""The facility edit form shows an error summary at the top that names and links each wrong field."""

from __future__ import annotations

import re

from django.urls import reverse


def test_the_staff_edit_form_names_and_links_each_wrong_field(client, directory, bob):
    facility = directory["gonohe_nurse"]
    client.force_login(bob)
    data = {
        "name": "",
        "category": "visiting_nurse_station",
        "municipality": str(facility.municipality.pk),
        "status": "active",
        "phone": "電話してね",
        "services": ["130"],
        "acceptance_status": "unknown",
    }

    response = client.post(reverse("directory:edit", args=[facility.pk]), data)

    assert response.status_code == 400
    page = response.content.decode()
    match = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert match and page.index('class="error-summary"') < page.index('name="name"')
    links = dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', match.group(1)))
    assert links["id_name"] == "名称" and links["id_phone"] == "電話番号"
    for anchor in links:
        assert f'id="{anchor}"' in page
