"""閲覧の記録 names what was opened in words (「投稿 #8 のPDF」「添付ファイル」) and where from."""

from __future__ import annotations

from renkei.core.audit import Origin, _current_origin, record_access
from renkei.core.models import AccessLog


def recorded_from(via: str, **row) -> AccessLog:
    """A row written as a page or the API would (the origin the middleware sets for a request)."""
    token = _current_origin.set(Origin(via))
    try:
        return record_access(**row)
    finally:
        _current_origin.reset(token)


def test_access_log_rows_read_in_japanese(alice):
    sheet = recorded_from(
        "web", actor=alice, action=AccessLog.Action.PRINT, subject_type="patient", subject_id=3,
        object_type="collaboration_sheet", object_id=8,
    )  # fmt: skip
    attachment = recorded_from(
        "api", actor=alice, action=AccessLog.Action.DOWNLOAD, subject_type="patient", subject_id=3,
        object_type="attachment", object_id=21,
    )  # fmt: skip
    assert (sheet.object_label, sheet.via_label) == ("投稿 #8 のPDF", "画面")
    assert (attachment.object_label, attachment.via_label) == ("添付ファイル", "API")
    assert (sheet.object_kind_label, sheet.subject_kind_label) == ("投稿のPDF", "利用者の記録")
    # A kind without a label yet still shows as itself.
    unknown = record_access(
        alice, action="view", subject_type="x", subject_id=1, object_type="new_thing", object_id=2
    )
    assert unknown.object_label == "new_thing 2"
