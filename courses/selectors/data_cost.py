"""Data cost of a lesson: roughly what a phone downloads to open it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from wagtail.images import get_image_model

from courses.models import LessonPage

# What a phone downloads besides the lesson's own content: the layout's HTML and the compressed
# stylesheets (cached after the first page, counted anyway: a trainer may open just one lesson).
PAGE_OVERHEAD_BYTES = 12 * 1024
# The image rendition a typical phone picks from the lesson's srcset (≈ 360 CSS px at 2×).
PHONE_IMAGE_FILTER = "width-720|format-webp"
PHONE_IMAGE_WIDTH = 720


@dataclass(frozen=True)
class DataCost:
    page_bytes: int
    image_bytes: int
    video_bytes: int

    @property
    def total_bytes(self) -> int:
        """What opening the lesson costs: the page and its images. Videos load only on request."""
        return self.page_bytes + self.image_bytes


def lesson_page_bytes(*, raw_body) -> int:
    """The estimated size of a lesson page's HTML with the layout: from the size of its content.
    The course saved for offline counts its pages the same way."""
    return PAGE_OVERHEAD_BYTES + len(json.dumps(list(raw_body), ensure_ascii=False).encode())


def lesson_data_cost(*, lesson: LessonPage) -> DataCost:
    """Roughly how much data a phone spends on a lesson: the page's HTML (estimated from the
    size of its content), the images at the width a phone downloads (the real rendition file
    when it exists, else the original scaled down), and the videos' stated sizes. One query."""
    page_bytes = lesson_page_bytes(raw_body=lesson.body.raw_data)
    images = []
    video_bytes = 0
    for child in lesson.body:
        if child.block_type == "image" and child.value.get("image") is not None:
            images.append(child.value["image"])
        elif child.block_type == "video" and child.value.get("approx_size_mb"):
            video_bytes += int(float(child.value["approx_size_mb"]) * 1024 * 1024)
    image_bytes = 0
    if images:
        rendition_model = get_image_model().get_rendition_model()
        sizes: dict[int, int] = {}
        for rendition in rendition_model.objects.filter(
            image_id__in=[image.pk for image in images], filter_spec=PHONE_IMAGE_FILTER
        ):
            try:
                sizes.setdefault(rendition.image_id, rendition.file.size)
            except (OSError, ValueError):
                continue
        for image in images:
            if image.pk in sizes:
                image_bytes += sizes[image.pk]
                continue
            try:
                original = image.file_size or image.file.size
            except (OSError, ValueError):
                original = 0
            scale = min(1.0, PHONE_IMAGE_WIDTH / image.width) if image.width else 1.0
            image_bytes += int(original * scale * scale)
    return DataCost(page_bytes=page_bytes, image_bytes=image_bytes, video_bytes=video_bytes)
