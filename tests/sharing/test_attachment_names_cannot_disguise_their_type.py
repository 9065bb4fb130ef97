"""An attachment's name cannot pretend to be another type: bidirectional controls (「invoice‮fdp.exe」
displays as 「invoiceexe.pdf」) and control characters are taken out, a long name is shortened with
its extension kept, and the file is always named and served with the extension of the type found in
its bytes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from renkei.core.uploads import JPEG, PDF, safe_file_name
from renkei.sharing.models import Attachment
from tests.core.totp import verified_login
from tests.sharing.conftest import close_response, tiny_pdf, tiny_png, upload, write_post

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_a_pdf_named_with_a_right_to_left_override_is_shown_and_served_as_a_pdf(client, cm, patient):
    post = write_post(patient, cm, "請求書です。", uploads=[upload("invoice\u202efdp.exe", tiny_pdf())])
    attachment = post.attachments.get()
    assert attachment.original_name == "invoicefdp.exe.pdf"

    verified_login(client, cm)
    page = client.get(f"/patients/{patient.pk}/").content.decode()
    assert not any(character in page for character in BIDI)
    assert "invoicefdp.exe.pdf" in page
    response = client.get(f"/patients/{patient.pk}/attachments/{attachment.pk}/")
    assert 'filename="invoicefdp.exe.pdf"' in response["Content-Disposition"]
    close_response(response)


def test_a_long_name_keeps_its_extension_and_a_png_named_pdf_is_served_as_png(cm, patient):
    post = write_post(
        patient,
        cm,
        uploads=[upload("検査" * 120 + ".pdf", tiny_pdf()), upload("scan.pdf", tiny_png())],
    )
    long_name, png = post.attachments.order_by("pk")
    assert len(long_name.original_name) == 150 and long_name.original_name.endswith("検査.pdf")
    assert png.original_name == "scan.pdf.png"


@pytest.mark.parametrize(
    ("name", "kind", "safe"),
    [
        ("結果\u2067.pdf\u2069", PDF, "結果.pdf"),
        ("line\nbreak\t.pdf", PDF, "line break.pdf"),
        ("..\\..\\C:\\temp\\photo.JPEG", JPEG, "photo.JPEG"),
        ("", PDF, "file.pdf"),
        (". . .", JPEG, "file.jpg"),
    ],
)
def test_names_are_made_safe(name, kind, safe):
    assert safe_file_name(name, kind) == safe


def test_a_name_stored_before_the_check_is_served_safely(client, cm, patient):
    post = write_post(patient, cm, uploads=[upload("result.pdf", tiny_pdf())])
    attachment = post.attachments.get()
    Attachment.objects.filter(pk=attachment.pk).update(original_name="invoice\u202efdp.exe")
    verified_login(client, cm)
    response = client.get(f"/patients/{patient.pk}/attachments/{attachment.pk}/")
    assert 'filename="invoicefdp.exe.pdf"' in response["Content-Disposition"]
    close_response(response)


@pytest.mark.django_db(transaction=True)
def test_upgrade_makes_the_stored_names_safe(region_data, cm, patient):
    post = write_post(patient, cm, uploads=[upload("result.pdf", tiny_pdf())])
    Attachment.objects.filter(post=post).update(original_name="invoice\u202efdp.exe")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("sharing", "0004_membership_organization")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Attachment.objects.get(post=post).original_name == "invoicefdp.exe.pdf"
