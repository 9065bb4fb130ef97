"""Calling the consultations API as a desk's script would: a personal token, and the smallest
consultation the API accepts (a family's phone call on 2024-06-03, answered with information)."""

from __future__ import annotations

from renkei.core.tokens import issue_token

MINIMAL_CONSULTATION = {
    "received_at": "2024-06-03T09:00:00+09:00",
    "channel": "phone",
    "requester_type": "family",
    "response": "information",
}


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, 'テスト')[1]}"}


def post_consultation(client, user, **fields):
    """POST the minimal consultation with ``fields`` added or replaced, as ``user``'s token."""
    return client.post(
        "/api/v1/consultations/",
        {**MINIMAL_CONSULTATION, **fields},
        content_type="application/json",
        **bearer(user),
    )
