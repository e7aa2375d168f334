"""What a course saved for offline consists of: its pages, the phone-sized renditions of its
images, the documents marked for offline, and the site's stylesheets and offline scripts.

The browser downloads exactly the listed URLs; each entry has a version, so that after an editor
publishes a change the browser fetches again only what changed, and the manifest's version says
whether anything did."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from courses.models import CoursePage, LessonPage
from courses.selectors.data_cost import PHONE_IMAGE_FILTER, lesson_page_bytes

# The files every saved course needs, besides its own pages (the static ones by their path).
STATIC_FILES = ("css/site.css", "courses/learn.css", "js/offline-core.js", "js/offline.js")


@dataclass(frozen=True)
class OfflineEntry:
    url: str
    kind: str  # "page" | "image" | "document" | "static"
    bytes: int
    # Changes when the file at the URL changes (a page's revision, a file's hash).
    version: str
    title: str = ""


@dataclass
class OfflineManifest:
    course: CoursePage
    entries: list[OfflineEntry] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(entry.bytes for entry in self.entries)

    @property
    def version(self) -> str:
        """One hash of every entry's URL and version: the same until something listed changes."""
        digest = hashlib.sha256()
        for entry in self.entries:
            digest.update(f"{entry.url}\0{entry.version}\n".encode())
        return digest.hexdigest()[:32]


@cache
def _static_file(path: str) -> tuple[int, str]:
    """Size and content hash of a static file (read once per process; a deploy restarts it)."""
    found = finders.find(path)
    if not found:
        return 0, ""
    with open(found, "rb") as handle:
        data = handle.read()
    return len(data), hashlib.sha256(data).hexdigest()[:16]


def _file_size(file) -> int:
    try:
        return file.size
    except (OSError, ValueError):
        return 0


def _raw_media(block) -> tuple[str, int | None, str]:
    """(kind, id, title) of a lesson block in raw stream data: an image, a document marked for
    offline, or nothing to download ("", None, "")."""
    value = block.get("value") if isinstance(block, dict) else None
    if not isinstance(value, dict):
        return "", None, ""
    if block.get("type") == "image" and isinstance(value.get("image"), int):
        return "image", value["image"], ""
    if block.get("type") == "document" and value.get("offline") and isinstance(value.get("document"), int):
        return "document", value["document"], str(value.get("title") or "")
    return "", None, ""


def course_offline_manifest(*, course: CoursePage) -> OfflineManifest:
    """The entries of a course saved for offline, in reading order: the course page, each live
    and public lesson page followed by its images (the rendition a phone picks,
    `PHONE_IMAGE_FILTER`, made now when missing) and its documents marked for offline, then the
    offline page and the static files. Sizes are the lesson data costs the lesson page shows
    (the page's estimate) and the real sizes of the files. A fixed number of queries, whatever
    the number of lessons; a rendition missing is made (and written) once."""
    lessons = list(LessonPage.objects.live().public().descendant_of(course).order_by("path"))
    # From the bodies' raw data: iterating a body would load its images and documents, one query
    # per lesson.
    blocks = {lesson.pk: [_raw_media(block) for block in lesson.body.raw_data] for lesson in lessons}
    image_ids = {pk for items in blocks.values() for kind, pk, _title in items if kind == "image"}
    document_ids = {pk for items in blocks.values() for kind, pk, _title in items if kind == "document"}
    images = {
        image.pk: image
        for image in get_image_model()
        .objects.filter(pk__in=image_ids)
        .prefetch_renditions(PHONE_IMAGE_FILTER)
    }
    documents = {
        document.pk: document for document in get_document_model().objects.filter(pk__in=document_ids)
    }

    manifest = OfflineManifest(course=course)
    entries = manifest.entries
    entries.append(
        OfflineEntry(
            url=course.get_url() or "",
            kind="page",
            bytes=lesson_page_bytes(raw_body=[]),
            version=str(course.live_revision_id or course.last_published_at or ""),
            title=course.title,
        )
    )
    seen: set[str] = set()
    for lesson in lessons:
        entries.append(
            OfflineEntry(
                url=lesson.get_url() or "",
                kind="page",
                bytes=lesson_page_bytes(raw_body=lesson.body.raw_data),
                version=str(lesson.live_revision_id or lesson.last_published_at or ""),
                title=lesson.title,
            )
        )
        for kind, pk, title in blocks[lesson.pk]:
            if kind == "image" and pk in images:
                image = images[pk]
                try:
                    rendition = image.get_rendition(PHONE_IMAGE_FILTER)
                except (OSError, ValueError):
                    # A missing or broken original: the page shows its alt text offline as online.
                    continue
                if rendition.url in seen:
                    continue
                seen.add(rendition.url)
                entries.append(
                    OfflineEntry(
                        url=rendition.url,
                        kind="image",
                        bytes=_file_size(rendition.file),
                        version=image.file_hash or rendition.url,
                    )
                )
            elif kind == "document" and pk in documents and documents[pk].url not in seen:
                document = documents[pk]
                seen.add(document.url)
                entries.append(
                    OfflineEntry(
                        url=document.url,
                        kind="document",
                        bytes=document.file_size or _file_size(document.file),
                        version=document.file_hash or str(document.file_size or ""),
                        title=title or document.title,
                    )
                )
    entries.append(
        OfflineEntry(
            url=reverse("offline_page"), kind="page", bytes=lesson_page_bytes(raw_body=[]), version="offline"
        )
    )
    for path in STATIC_FILES:
        size, digest = _static_file(path)
        entries.append(OfflineEntry(url=static(path), kind="static", bytes=size, version=digest))
    return manifest
