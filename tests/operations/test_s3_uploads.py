"""Uploads on an S3-compatible bucket (``RENKEI_S3_BUCKET``), against moto's S3 server on loopback —
a real HTTP S3 endpoint: a timeline attachment goes to the bucket (private, encrypted at rest, nothing
on the local disk), downloads back byte for byte through the permission-checked view, and a backup
carries the bucket's files and restores them into an empty bucket."""

from __future__ import annotations

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from moto.server import ThreadedMotoServer

from renkei.core.uploads import private_storage
from renkei.operations import backup
from renkei.sharing import files
from renkei.sharing.models import Attachment
from tests.core.totp import verified_login
from tests.operations.server import free_port
from tests.sharing.conftest import care_office, close_response, cm, patient, tiny_pdf, upload

__all__ = ["care_office", "cm", "patient"]  # the sharing fixtures these tests use

BUCKET = "renkei-test-uploads"


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ap-northeast-1",
    }.items():
        monkeypatch.setenv(name, value)
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="ap-northeast-1")
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "ap-northeast-1",
                "default_acl": "private",
                "file_overwrite": False,
                "object_parameters": {"ServerSideEncryption": "AES256"},
            },
        },
    }
    yield s3
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    s3.delete_bucket(Bucket=BUCKET)


def _keys(s3) -> list[str]:
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_an_attachment_goes_to_the_bucket_and_downloads_back(client, cm, patient, bucket):
    assert type(storages["private"]).__name__ == "S3Storage"
    content = tiny_pdf()
    verified_login(client, cm)
    response = client.post(
        f"/patients/{patient.pk}/posts/",
        {"category": "contact", "body": "資料を添付します。", "files": [upload("紹介状.pdf", content)]},
    )
    assert response.status_code == 302
    item = Attachment.objects.get()
    key = f"private/sharing/{item.stored_name}"
    assert _keys(bucket) == [key]
    head = bucket.head_object(Bucket=BUCKET, Key=key)
    assert head["ServerSideEncryption"] == "AES256"
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only
    assert not (files.private_root() / item.stored_name).exists()  # nothing on the local disk

    download = client.get(f"/patients/{patient.pk}/attachments/{item.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Cache-Control"].startswith("no-store")
    close_response(download)


def test_a_backup_carries_the_bucket_and_restores_it_into_an_empty_one(bucket, tmp_path):
    # The files' half of `renkei backup` / `renkei restore` (the database half is test_backup.py's, in a
    # subprocess with its own database).
    storage = private_storage()
    storage.save("private/sharing/0123abcd.pdf", ContentFile(b"%PDF-1.4 bucket"))
    storage.save("private/meetings/4567ef.pdf", ContentFile(b"%PDF-1.4 materials"))
    members = backup.copy_media(tmp_path)
    assert sorted(members) == ["media/private/meetings/4567ef.pdf", "media/private/sharing/0123abcd.pdf"]
    assert (tmp_path / "media/private/sharing/0123abcd.pdf").read_bytes() == b"%PDF-1.4 bucket"
    assert not backup.media_is_empty()
    for key in _keys(bucket):
        bucket.delete_object(Bucket=BUCKET, Key=key)
    assert backup.media_is_empty()
    backup.put_media_back(tmp_path, members)
    assert _keys(bucket) == ["private/meetings/4567ef.pdf", "private/sharing/0123abcd.pdf"]
    body = bucket.get_object(Bucket=BUCKET, Key="private/sharing/0123abcd.pdf")["Body"].read()
    assert body == b"%PDF-1.4 bucket"
