"""The timeline: posts, replies, files and collaboration sheets, with read receipts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from renkei.core import permissions
from renkei.core.models import AccessLog, User
from renkei.core.uploads import Upload
from renkei.sharing import files, post_parts
from renkei.sharing.models import Attachment, Patient, Post, PostRead
from renkei.sharing.services._common import SharingError, log
from renkei.sharing.services.notifications import notify_new_post
from renkei.sharing.services.team import current_members, mark_invitation_seen

TIMELINE_PAGE_SIZE = 20


def _checked(upload: Upload) -> files.CheckedFile:
    """An attachment checked; a refusal names the file, so that the one to replace is plain."""
    try:
        return files.check_upload(upload)
    except files.UploadRejected as exc:
        name = Path(upload.name or "").name[:150] or "ファイル"
        raise files.UploadRejected(f"添付ファイル「{name}」: {exc.message}", "files") from None


def create_post(
    actor: User,
    patient: Patient,
    *,
    category: str,
    body: str,
    urgent: bool = False,
    parent: Post | None = None,
    uploads: Iterable[Upload] = (),
    part: Callable[[Post], object] | None = None,
) -> Post:
    """Write a post (or a reply). Files are checked first; if any is
        refused nothing is stored. ``part`` writes another app's part of the post
        (:mod:`renkei.sharing.post_parts`) in the same transaction; a post with one needs no body (a sheet
    filled on the timeline is such a part: :mod:`renkei.transitions.sheets`)."""
    if parent is not None and (parent.patient_id != patient.pk or parent.parent_id is not None):
        raise SharingError("返信先の投稿が見つかりません。")
    if not body.strip() and part is None:
        raise SharingError("本文を入力してください。")
    checked = [_checked(upload) for upload in uploads]
    stored: list[str] = []
    try:
        with transaction.atomic():
            post = Post.objects.create(
                patient=patient,
                author=actor,
                parent=parent,
                category=category,
                urgent=urgent,
                body=body.strip(),
            )
            if part is not None:
                part(post)
            for item in checked:
                name = files.store(item)
                stored.append(name)
                Attachment.objects.create(
                    post=post,
                    stored_name=name,
                    original_name=item.original_name,
                    content_type=item.content_type,
                    size=item.size,
                    sha256=item.sha256,
                    uploaded_by=actor,
                )
            PostRead.objects.create(post=post, user=actor)
            Patient.objects.filter(pk=patient.pk).update(last_post_at=post.created_at)
            log(actor, patient, AccessLog.Action.CREATE, "post", post.pk)
            transaction.on_commit(lambda: notify_new_post(post))
    except Exception:
        for name in stored:
            files.remove(name)
        raise
    return post


@dataclass
class TimelineEntry:
    post: Post
    replies: list[TimelineEntry] = field(default_factory=list)
    readers: list[User] = field(default_factory=list)
    audience: int = 0

    @property
    def read_count(self) -> int:
        return len(self.readers)

    @property
    def parts(self) -> list[post_parts.ShownPart]:
        return post_parts.parts_of(self.post)


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    number: int
    has_next: bool
    member_count: int = 0

    def unread_by(self, user: User) -> list[Post]:
        return [
            entry.post
            for entry in self.entries + [reply for entry in self.entries for reply in entry.replies]
            if entry.post.author_id != user.pk and all(reader.pk != user.pk for reader in entry.readers)
        ]

    @property
    def posts(self) -> list[Post]:
        return [entry.post for entry in self.entries] + [
            reply.post for entry in self.entries for reply in entry.replies
        ]


def _readers(posts: list[Post], member_ids: list[int]) -> dict[int, list[int]]:
    readers: dict[int, list[int]] = defaultdict(list)
    for post_id, user_id in (
        PostRead.objects.filter(post__in=[post.pk for post in posts], user__in=member_ids)
        .order_by("read_at")
        .values_list("post_id", "user_id")
    ):
        readers[post_id].append(user_id)
    return readers


MAX_PAGE = 100_000


def timeline(patient: Patient, page: int = 1, per_page: int = TIMELINE_PAGE_SIZE) -> TimelinePage:
    """One page of top-level posts, newest first, with their replies, files, sheets and read
    receipts, in five queries whatever the size of the timeline. Pages past :data:`MAX_PAGE` are
    read as that page (empty): a huge number would overflow the database's OFFSET."""
    from django.db.models import prefetch_related_objects

    page = min(max(1, page), MAX_PAGE)
    start = (page - 1) * per_page
    top = list(
        Post.objects.filter(patient=patient, parent=None)
        .select_related("author", "author__organization", "sheet", *post_parts.select_related())
        .order_by("-created_at", "-id")[start : start + per_page + 1]
    )
    has_next = len(top) > per_page
    top = top[:per_page]
    replies = list(
        Post.objects.filter(parent__in=[post.pk for post in top])
        .select_related("author", "author__organization", "sheet", *post_parts.select_related())
        .order_by("created_at", "id")
    )
    prefetch_related_objects(top + replies, "attachments")
    members = {member.user_id: member.user for member in current_members(patient)}
    readers = _readers(top + replies, list(members))

    def entry(post: Post) -> TimelineEntry:
        audience = [user_id for user_id in members if user_id != post.author_id]
        return TimelineEntry(
            post=post,
            readers=[members[user_id] for user_id in readers[post.pk] if user_id != post.author_id],
            audience=len(audience),
        )

    entries = {post.pk: entry(post) for post in top}
    for reply in replies:
        if reply.parent_id is not None:
            entries[reply.parent_id].replies.append(entry(reply))
    return TimelinePage(
        entries=list(entries.values()), number=page, has_next=has_next, member_count=len(members)
    )


def mark_read(user: User, posts: Iterable[Post]) -> None:
    now = timezone.now()
    posts = list(posts)
    if not posts:
        return
    PostRead.objects.bulk_create(
        [PostRead(post=post, user=user, read_at=now) for post in posts if post.author_id != user.pk],
        ignore_conflicts=True,
    )


def _read_page(
    actor: User, patient: Patient, access: permissions.PatientAccess, page: int, object_type: str
) -> TimelinePage:
    result = timeline(patient, page)
    object_id = patient.pk if object_type == "patient" else result.number
    log(actor, patient, AccessLog.Action.VIEW, object_type, object_id, access=access)
    if access.member:
        mark_read(actor, result.unread_by(actor))
    return result


def patient_page(
    actor: User, patient: Patient, access: permissions.PatientAccess, page: int = 1
) -> TimelinePage:
    """The patient's page: the record and a page of its timeline, read by ``actor`` (logged as a
    read of the record; a member's receipts are written, and their invitation is no longer new)."""
    mark_invitation_seen(actor, patient)
    return _read_page(actor, patient, access, page, "patient")


def timeline_page(
    actor: User, patient: Patient, access: permissions.PatientAccess, page: int = 1
) -> TimelinePage:
    """A page of the timeline alone (the API), logged as a read of that page."""
    return _read_page(actor, patient, access, page, "timeline")


def read_post(
    actor: User, patient: Patient, access: permissions.PatientAccess, post_id: int
) -> TimelineEntry:
    """One post with its read receipts, read by ``actor`` (logged; a member's receipt written)."""
    post = get_object_or_404(
        Post.objects.select_related("author__organization", *post_parts.select_related()).prefetch_related(
            "attachments"
        ),
        pk=post_id,
        patient=patient,
    )
    log(actor, patient, AccessLog.Action.VIEW, "post", post.pk, access=access)
    if access.member:
        mark_read(actor, [post])
    members = [member.user for member in current_members(patient)]
    readers = set(post.reads.values_list("user_id", flat=True))
    audience = [user for user in members if user.pk != post.author_id]
    return TimelineEntry(
        post=post, readers=[user for user in audience if user.pk in readers], audience=len(audience)
    )


def open_attachment(
    actor: User,
    patient: Patient,
    attachment_id: int,
    access: permissions.PatientAccess | None = None,
    *,
    inline: bool = False,
) -> Attachment:
    """The attachment ``actor`` downloads, or — ``inline``, for an image — looks at in the browser
    (logged as a download or a view)."""
    item = get_object_or_404(Attachment, pk=attachment_id, post__patient=patient)
    action = (
        AccessLog.Action.VIEW if inline and files.is_image(item.content_type) else AccessLog.Action.DOWNLOAD
    )
    log(actor, patient, action, "attachment", item.pk, access=access)
    return item


def open_attachment_thumbnail(
    actor: User, patient: Patient, attachment_id: int, access: permissions.PatientAccess | None = None
) -> Attachment:
    """An image attachment whose thumbnail the timeline shows ``actor`` (logged as a view of it);
    404 for any other attachment."""
    item = get_object_or_404(Attachment, pk=attachment_id, post__patient=patient)
    if not files.is_image(item.content_type):
        raise Http404
    log(actor, patient, AccessLog.Action.VIEW, "attachment_thumbnail", item.pk, access=access)
    return item


def print_sheet(
    actor: User, patient: Patient, post_id: int, access: permissions.PatientAccess | None = None
) -> tuple[Post, bytes]:
    """A collaboration sheet of the timeline as an A4 PDF (logged as printed)."""
    from renkei.sharing.pdf import collaboration_sheet_pdf

    post = get_object_or_404(patient.posts.select_related("sheet", "author__organization"), pk=post_id)
    if not hasattr(post, "sheet"):
        raise Http404
    content = collaboration_sheet_pdf(post)
    log(actor, patient, AccessLog.Action.PRINT, "collaboration_sheet", post.pk, access=access)
    return post, content
