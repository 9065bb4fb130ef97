"""The portal's explanatory pages (在宅医療, 看取り, ACP/人生会議): written by staff in Markdown, shown
to residents as sanitised HTML, with uploaded images and their text alternatives.

A page is the region's (every municipality shows it) or a municipality's own, which replaces the
region's page of the same topic on that municipality's portal. Residents see published pages only.
"""

from __future__ import annotations

from dataclasses import dataclass

import nh3
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from renkei.core import permissions, uploads
from renkei.core.models import Municipality, Region, User
from renkei.core.services import RuleError
from renkei.outreach.models import PortalImage, PortalPage, Topic

UPLOAD_AREA = "outreach"
IMAGE_MAX_BYTES = 5 * 1024 * 1024
MAX_IMAGES = 6

# CommonMark with raw HTML switched off: what staff type as <script> is shown as text. The output is
# then cleaned by nh3 (Ammonia) against an allow-list, so a parser bug cannot let markup through.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "code",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}


class PageError(RuleError):
    code = "outreach_page_invalid"


def render_body(text: str) -> SafeString:
    """Markdown to HTML that is safe to show: no scripts, no event attributes, no style, links only to
    http(s), mailto and tel (others lose their href), images only through the page's own uploads."""
    html = _MARKDOWN.render(text or "")
    cleaned = nh3.clean(
        html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES, link_rel="noopener noreferrer"
    )
    return mark_safe(cleaned)  # noqa: S308 — nh3 has just removed everything outside the allow-list


@dataclass
class TopicPage:
    """What a portal shows for one topic: the page in force there, or None when nothing is published."""

    topic: str
    label: str
    page: PortalPage | None


def published_page(region: Region | None, municipality: Municipality | None, topic: str) -> PortalPage | None:
    """The page residents see: the municipality's own if published, else the region's."""
    if region is None:
        return None
    pages = PortalPage.objects.filter(region=region, topic=topic, status=PortalPage.Status.PUBLISHED)
    if municipality is not None:
        own = pages.filter(municipality=municipality).first()
        if own is not None:
            return own
    return pages.filter(municipality=None).first()


def topic_pages(region: Region | None, municipality: Municipality | None) -> list[TopicPage]:
    return [
        TopicPage(value, label, published_page(region, municipality, value)) for value, label in Topic.choices
    ]


def public_page(region: Region | None, municipality: Municipality | None, topic: str) -> PortalPage:
    if topic not in Topic.values:
        raise Http404
    page = published_page(region, municipality, topic)
    if page is None:
        raise Http404
    return page


def page_for_editing(
    actor: User, region: Region, municipality: Municipality | None, topic: str
) -> PortalPage | None:
    """The existing page of this scope and topic (None: not written yet) for someone who may edit it."""
    if topic not in Topic.values:
        raise Http404
    if not permissions.can_edit_portal_page(actor, region, municipality):
        raise PermissionDenied
    return PortalPage.objects.filter(region=region, municipality=municipality, topic=topic).first()


def save_page(
    actor: User,
    region: Region,
    municipality: Municipality | None,
    topic: str,
    *,
    title: str,
    body: str,
    status: str,
) -> PortalPage:
    page = page_for_editing(actor, region, municipality, topic)
    if not title.strip():
        raise PageError("見出しを入力してください。", "title")
    if status not in PortalPage.Status.values:
        raise PageError("公開状態の指定が正しくありません。", "status")
    if page is None:
        page = PortalPage(region=region, municipality=municipality, topic=topic)
    page.title, page.body, page.status, page.updated_by = title.strip(), body, status, actor
    page.save()
    return page


def add_image(
    actor: User, page: PortalPage, uploaded: uploads.Upload, *, alt: str, caption: str = ""
) -> PortalImage:
    """An image for the page, checked by its bytes (JPEG or PNG, whole, not too large); the text
    alternative is required, since a resident with a screen reader reads the page through it."""
    if not permissions.can_edit_portal_page(actor, page.region, page.municipality):
        raise PermissionDenied
    if not alt.strip():
        raise PageError("画像の説明（代替テキスト）を入力してください。読み上げソフトで読まれます。", "alt")
    if page.images.count() >= MAX_IMAGES:
        raise PageError(f"画像は1ページに{MAX_IMAGES}枚までです。", "image")
    try:
        checked = uploads.check(uploaded, allowed=(uploads.JPEG, uploads.PNG), max_bytes=IMAGE_MAX_BYTES)
    except uploads.UploadRejected as exc:
        raise PageError(exc.message, "image") from None
    name = uploads.store(checked, area=UPLOAD_AREA)
    return PortalImage.objects.create(
        page=page, alt=alt.strip(), caption=caption.strip(), stored_name=name,
        content_type=checked.content_type, size=checked.size, sha256=checked.sha256, uploaded_by=actor,
    )  # fmt: skip


def remove_image(actor: User, image: PortalImage) -> None:
    page = image.page
    if not permissions.can_edit_portal_page(actor, page.region, page.municipality):
        raise PermissionDenied
    uploads.remove(image.stored_name, area=UPLOAD_AREA)
    image.delete()


def image_response(user: User | AnonymousUser, image: PortalImage) -> FileResponse:
    """The image file: to anyone when its page is published, else to the page's editors only."""
    page = image.page
    if not page.is_published and not permissions.can_edit_portal_page(user, page.region, page.municipality):
        raise Http404
    try:
        response = uploads.download_response(
            image.stored_name, UPLOAD_AREA, content_type=image.content_type, filename=f"image-{image.pk}"
        )
    except FileNotFoundError:
        raise Http404 from None
    response["Content-Disposition"] = "inline"
    return response
