"""The disk fills up while an attachment is being written: the person reads why in Japanese, and neither
the post nor a truncated file is left behind."""

from __future__ import annotations

import builtins
import errno

from renkei.core import uploads
from renkei.sharing import files
from renkei.sharing.models import Attachment, Post
from tests.core.totp import verified_login
from tests.sharing.conftest import tiny_pdf, upload


class FullDisk:
    """A file whose writes stop after a few bytes with ENOSPC, as on a full file system."""

    def __init__(self, handle) -> None:
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.handle.close()

    def write(self, content: bytes) -> int:
        self.handle.write(content[:10])
        self.handle.flush()
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_refuses_the_post_clearly_and_leaves_nothing(client, cm, patient, monkeypatch):
    verified_login(client, cm)
    monkeypatch.setattr(
        uploads, "open", lambda path, mode: FullDisk(builtins.open(path, mode)), raising=False
    )

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
