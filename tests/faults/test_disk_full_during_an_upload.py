"""The disk fills up while an attachment is being written: the person reads why in Japanese, and neither
the post nor a truncated file is left behind."""

from __future__ import annotations

import errno
import os

from django.core.files.storage import FileSystemStorage

from renkei.sharing import files
from renkei.sharing.models import Attachment, Post
from tests.core.totp import verified_login
from tests.sharing.conftest import tiny_pdf, upload


class FullDiskStorage(FileSystemStorage):
    """The private storage on a full file system: a write stops after a few bytes with ENOSPC, leaving
    the truncated file behind, as the operating system does."""

    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        with open(path, "xb") as handle:
            handle.write(content.read()[:10])
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_refuses_the_post_clearly_and_leaves_nothing(client, cm, patient, settings):
    verified_login(client, cm)
    settings.STORAGES = {**settings.STORAGES, "private": {"BACKEND": f"{__name__}.FullDiskStorage"}}

    response = client.post(
        f"/patients/{patient.pk}/posts/",
        {
            "category": "contact",
            "body": "検査結果を添付します。",
            "files": [upload("検査結果.pdf", tiny_pdf())],
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "保存先の空き容量が不足しているため、ファイルを保存できませんでした。" in page
    assert "検査結果を添付します。</textarea>" in page
    assert not Post.objects.exists()
    assert not Attachment.objects.exists()
    root = files.private_root()
    assert not root.exists() or list(root.iterdir()) == []
