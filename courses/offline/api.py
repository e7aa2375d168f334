"""`GET /api/v1/courses/{course_id}/offline`: what saving a course for offline downloads."""

from django.http import Http404, HttpResponse
from ninja import Router, Schema

from courses import selectors
from courses.models import CoursePage
from courses.offline.manifest import course_offline_manifest
from lms.api.auth import api_auth
from lms.api.errors import ErrorOut

router = Router(auth=api_auth, tags=["offline"])


class OfflineEntryOut(Schema):
    url: str
    kind: str
    bytes: int
    version: str
    title: str


class OfflineManifestOut(Schema):
    course_id: str
    title: str
    url: str
    version: str
    total_bytes: int
    entries: list[OfflineEntryOut]


@router.get(
    "/courses/{course_id}/offline",
    response={200: OfflineManifestOut, 401: ErrorOut, 404: ErrorOut},
    summary="A course saved for offline",
    url_name="course_offline",
)
def course_offline(request, course_id: str, response: HttpResponse):
    """The URLs a phone downloads to read a published course without a connection (the course
    and lesson pages, the phone-sized image renditions, the documents marked for offline, the
    stylesheets and offline scripts), each with its size and version, and the total download.
    `version` is also the ETag: with `If-None-Match` the answer is 304 while nothing changed."""
    course_pk = selectors.page_id_parse(course_id)
    course = (
        CoursePage.objects.live().public().filter(pk=course_pk).defer_streamfields().first()
        if course_pk is not None
        else None
    )
    if course is None:
        raise Http404
    manifest = course_offline_manifest(course=course)
    etag = f'"{manifest.version}"'
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        not_modified = HttpResponse(status=304)
        not_modified["ETag"] = etag
        not_modified["Cache-Control"] = "private, no-cache"
        return not_modified
    return 200, {
        "course_id": str(course.pk),
        "title": course.title,
        "url": course.get_url() or "",
        "version": manifest.version,
        "total_bytes": manifest.total_bytes,
        "entries": [
            {
                "url": entry.url,
                "kind": entry.kind,
                "bytes": entry.bytes,
                "version": entry.version,
                "title": entry.title,
            }
            for entry in manifest.entries
        ],
    }
