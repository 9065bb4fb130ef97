from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from renkei.core.models import Organization, User


@pytest.mark.django_db
def test_demo_data_loads_twice_without_duplicates_and_prints_working_credentials(client):
    first, second = StringIO(), StringIO()
    call_command("load_demo", stdout=first)
    counts = (Organization.objects.count(), User.objects.count())
    call_command("load_demo", stdout=second)
    assert (Organization.objects.count(), User.objects.count()) == counts
    # Other apps add demo professionals of their own; the core adds one administrator and
    # 8 municipal offices + 8 地域包括支援センター + the 医師会.
    assert User.objects.filter(role=User.Role.REGION_ADMIN).count() == 1
    core_kinds = [
        Organization.Kind.MUNICIPAL_OFFICE,
        Organization.Kind.COMMUNITY_SUPPORT_CENTER,
        Organization.Kind.MEDICAL_ASSOCIATION,
    ]
    assert Organization.objects.filter(kind__in=core_kinds).count() == 17

    printed = first.getvalue()
    password = next(line.split(": ", 1)[1] for line in printed.splitlines() if "パスワード" in line)
    assert password in second.getvalue()
    response = client.post("/accounts/login/", {"username": "demo-admin", "password": password})
    assert response.status_code == 302
    assert User.objects.get(username="demo-admin").role == User.Role.REGION_ADMIN
