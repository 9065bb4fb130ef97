"""A page number past any timeline is no server error: the API refuses it (bounded in its OpenAPI
document), the pages show an empty page (it overflowed the database's OFFSET before)."""

from __future__ import annotations

from renkei.core.tokens import issue_token
from tests.core.totp import verified_login


def test_a_huge_page_number_is_no_server_error(client, cm, patient):
    _, token = issue_token(cm, "テスト")
    client.raise_request_exception = False
    huge = str(10**20)
    api = client.get(
        f"/api/v1/patients/{patient.pk}/posts", {"page": huge}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert api.status_code in (400, 422)
    assert client.get(
        "/api/v1/patients/", {"page": huge}, HTTP_AUTHORIZATION=f"Bearer {token}"
    ).status_code in (
        400,
        422,
    )
    verified_login(client, cm)
    assert client.get(f"/patients/{patient.pk}/", {"page": huge}).status_code == 200
    assert client.get("/patients/", {"page": huge}).status_code == 200
