"""A JSON body nested deeper than Python's stack is refused with the one error shape, never a 500:
every operation of the OpenAPI document that takes a JSON body gets one, from a professional whose
token reaches past authentication (the path's patient is on their team)."""

from __future__ import annotations

import json
import re

import pytest

from renkei.core.models import Organization, User
from renkei.core.tokens import issue_token
from tests.conftest import make_user
from tests.sharing.conftest import give_consent, register

DEEP = b"[" * 200_000 + b"]" * 200_000


@pytest.mark.django_db
def test_every_json_operation_refuses_a_deeply_nested_body(client, region_data):
    office = Organization.objects.create(
        name="テスト居宅介護支援事業所",
        kind=Organization.Kind.CARE_MANAGEMENT_OFFICE,
        municipality=region_data.municipalities.get(code="022039"),
    )
    cm = make_user("cm", office, User.Role.PROFESSIONAL, profession=User.Profession.CARE_MANAGER)
    patient = register(cm)
    give_consent(patient, cm)
    _, token = issue_token(cm, "nesting")
    spec = json.loads(client.get("/api/v1/openapi.json").content)
    tried = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            url = re.sub(r"\{[^}]+\}", str(patient.pk), path)
            response = client.generic(
                method.upper(),
                url,
                DEEP,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            tried.append(f"{method.upper()} {path}")
            assert response.status_code == 400, f"{method.upper()} {path}: {response.status_code}"
            assert response.json()["error"]["code"] == "invalid_body", f"{method.upper()} {path}"
    assert len(tried) >= 10, tried  # patients, team, consent, emergency, desk, 入退院 on today's API
