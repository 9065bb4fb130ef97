"""No input gives a server error: schemathesis generates requests for every operation of the
OpenAPI document at /api/v1/openapi.json and sends them to the live test server, anonymously and
with a professional's API token, checking only ``not_a_server_error`` (a refusal — 4xx — is
right for most generated input; a 500 never is). The examples per operation are bounded so the run
stays within about a minute."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup

from renkei.core.models import Organization, User
from renkei.core.tokens import issue_token
from tests.conftest import make_user
from tests.sharing.conftest import give_consent, register, write_post

EXAMPLES = {"anonymous": 4, "professional": 12}


def _failures(schema, headers: dict[str, str], examples: int, patient_id: int) -> list[str]:
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case) -> None:
            if "patient_id" in (case.path_parameters or {}):
                # The record the token's owner is on: generated values then reach past the 404.
                case.path_parameters["patient_id"] = patient_id
            try:
                case.call_and_validate(headers=headers, checks=[not_a_server_error])
            except (AssertionError, FailureGroup) as exc:  # the check's failure: keep it, go on
                failures.append(f"{case.method} {case.formatted_path}: {str(exc)[:300]}")

        run()
    return failures


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["anonymous", "professional"])
def test_generated_requests_never_give_a_server_error(live_server, region_data, who):
    office = Organization.objects.create(
        name="テスト居宅介護支援事業所",
        kind=Organization.Kind.CARE_MANAGEMENT_OFFICE,
        municipality=region_data.municipalities.get(code="022039"),
    )
    cm = make_user("cm", office, User.Role.PROFESSIONAL, profession=User.Profession.CARE_MANAGER)
    patient = register(cm)
    give_consent(patient, cm)
    write_post(patient, cm, "訪問しました。")
    headers = {}
    if who == "professional":
        _, token = issue_token(cm, "schemathesis")
        headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    assert _failures(schema, headers, EXAMPLES[who], patient.pk) == []
