"""An attachment fetched through the API carries the same sandbox as the web download: if a
browser opens it, nothing in it runs or loads."""

from __future__ import annotations

from renkei.core.tokens import issue_token
from tests.sharing.conftest import close_response, tiny_pdf, upload, write_post


def test_attachment_downloaded_through_the_api_is_sandboxed_like_the_web_download(client, cm, patient):
    post = write_post(patient, cm, "紹介状です。", uploads=[upload("紹介状.pdf", tiny_pdf(), "text/html")])
    item = post.attachments.get()
    _, token = issue_token(cm, "テスト")

    response = client.get(
        f"/api/v1/patients/{patient.pk}/attachments/{item.pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    close_response(response)
