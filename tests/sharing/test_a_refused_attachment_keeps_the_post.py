"""A refused attachment re-shows the post (or reply) form with the text kept and the refused file
named, with an error summary at the top that links to the field."""

from __future__ import annotations

from renkei.sharing.models import Post
from tests.core.totp import verified_login
from tests.sharing.conftest import tiny_pdf, upload

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def test_a_refused_file_keeps_the_text_and_names_the_file(client, cm, patient):
    verified_login(client, cm)
    body = "退院後の服薬について、検査結果を添付します。"

    response = client.post(
        f"/patients/{patient.pk}/posts/",
        {
            "category": "contact",
            "urgent": "on",
            "body": body,
            "files": [upload("良い.pdf", tiny_pdf()), upload("検査結果.exe.pdf", ELF)],
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-summary"' in page
    assert "添付ファイル「検査結果.exe.pdf」: このファイルは添付できません。" in page
    assert '<a href="#id_files">' in page
    # The form is there again, filled in as sent.
    assert f'action="/patients/{patient.pk}/posts/"' in page
    assert f"{body}</textarea>" in page
    assert 'name="urgent" id="id_urgent" checked' in page
    assert '<option value="contact" selected>' in page
    assert not Post.objects.exists()


def test_a_refused_reply_file_keeps_the_reply(client, cm, patient):
    from tests.sharing.conftest import write_post

    parent = write_post(patient, cm, "訪問の予定です。")
    verified_login(client, cm)

    response = client.post(
        f"/patients/{patient.pk}/posts/{parent.pk}/reply/",
        {"body": "了解しました。", "files": [upload("写真.png", ELF)]},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "添付ファイル「写真.png」" in page
    assert f'action="/patients/{patient.pk}/posts/{parent.pk}/reply/"' in page
    assert "了解しました。</textarea>" in page
