"""Offline learning, server side: the course's offline manifest, the device token and sign-out, the
service worker and web app manifest, and a queue sent twice or from two tabs at once."""

import gzip
import re
import threading
import uuid
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import APIToken, PageViewRestriction

from courses import services
from courses.models import LessonProgress, QuizAttempt, SyncEvent
from courses.offline.devices import offline_user_key
from courses.offline.manifest import course_offline_manifest
from tests.courses.api_helpers import bearer, token_for
from tests.factories import PASSWORD, ImageFactory, TrainerFactory, build_course, right_answers
from tests.queries import assert_database_query_count

pytestmark = pytest.mark.django_db


def _document(title: str):
    document = get_document_model()(title=title)
    document.file.save(f"{title}.pdf", ContentFile(b"%PDF-1.4\n% handout\n"), save=True)
    return document


def _with_documents(lesson, *, offline, other):
    lesson.body.append(
        ("document", {"document": offline, "title": "Lembar kerja", "description": "", "offline": True})
    )
    lesson.body.append(("document", {"document": other, "title": "Bacaan tambahan", "description": ""}))
    lesson.save_revision().publish()


@pytest.fixture
def signed_in(trainer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(trainer)
    return client


def _csrf(client) -> str:
    client.get("/dashboard/")
    return client.cookies["csrftoken"].value


# ---------------------------------------------------------------------------------------------
# The course's offline manifest
# ---------------------------------------------------------------------------------------------


def test_the_manifest_lists_pages_phone_images_offline_documents_and_static_files():
    built = build_course(slug="luring", lessons=2, quiz_lessons=(), image=ImageFactory())
    offline, other = _document("lembar"), _document("bacaan")
    _with_documents(built.lessons[0], offline=offline, other=other)

    manifest = course_offline_manifest(course=built.course)

    urls = [entry.url for entry in manifest.entries]
    assert urls[0] == built.course.url
    assert [lesson.url for lesson in built.lessons] == [e.url for e in manifest.entries if e.kind == "page"][
        1:3
    ]
    images = [e for e in manifest.entries if e.kind == "image"]
    # One image shown by both lessons is downloaded once, at the phone's width.
    assert len(images) == 1 and ".width-720.format-webp" in images[0].url and images[0].bytes > 0
    assert [e.url for e in manifest.entries if e.kind == "document"] == [offline.url]
    assert other.url not in urls
    assert "/offline/" in urls
    assert {"/static/css/site.css", "/static/js/offline.js", "/static/js/offline-core.js"} <= set(urls)
    assert all(e.bytes > 0 for e in manifest.entries)
    assert manifest.total_bytes == sum(e.bytes for e in manifest.entries)


def test_the_manifest_version_changes_only_when_a_page_is_published_again():
    built = build_course(slug="versi", lessons=2, quiz_lessons=())
    before = course_offline_manifest(course=built.course)
    assert course_offline_manifest(course=built.course).version == before.version

    lesson = built.lessons[1]
    lesson.body = [("rich_text", "<p>Isi baru.</p>")]
    lesson.save_revision()  # a draft: what trainers see has not changed
    assert course_offline_manifest(course=built.course).version == before.version

    lesson.get_latest_revision().publish()
    after = course_offline_manifest(course=built.course)
    assert after.version != before.version
    before_versions = {entry.url: entry.version for entry in before.entries}
    changed = {entry.url for entry in after.entries if before_versions.get(entry.url) != entry.version}
    assert changed == {lesson.url}


def test_the_manifest_leaves_out_restricted_and_unpublished_lessons():
    built = build_course(slug="terbatas", lessons=3, quiz_lessons=())
    PageViewRestriction.objects.create(page=built.lessons[1], restriction_type=PageViewRestriction.LOGIN)
    built.lessons[2].unpublish()
    urls = {e.url for e in course_offline_manifest(course=built.course).entries}
    assert built.lessons[0].url in urls
    assert built.lessons[1].url not in urls
    assert built.lessons[2].url not in urls


def test_the_manifest_costs_the_same_number_of_queries_for_a_larger_course():
    image = ImageFactory()
    small = build_course(slug="kecil", lessons=2, quiz_lessons=(0,), image=image)
    large = build_course(slug="besar", lessons=12, quiz_lessons=(0, 5), image=image)
    course_offline_manifest(course=small.course)  # the rendition is made once, here
    with assert_database_query_count(4):
        course_offline_manifest(course=small.course)
    with assert_database_query_count(4):
        course_offline_manifest(course=large.course)


def test_the_manifest_api_answers_304_while_nothing_changed(signed_in):
    built = build_course(slug="etag", lessons=1, quiz_lessons=())
    url = f"/api/v1/courses/{built.course.pk}/offline"
    first = signed_in.get(url)
    assert first.status_code == 200
    data = first.json()
    assert data["total_bytes"] == sum(e["bytes"] for e in data["entries"])
    assert first["ETag"] == f'"{data["version"]}"'
    assert signed_in.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert signed_in.get(url, HTTP_IF_NONE_MATCH='"lama"').status_code == 200


@pytest.mark.parametrize("course_id", ["999999", "99999999999999999999", "abc", "1%00"])
def test_the_manifest_api_answers_404_for_what_is_not_a_published_course(signed_in, course_id):
    response = signed_in.get(f"/api/v1/courses/{course_id}/offline")
    assert response.status_code in {400, 404}
    assert response.json()["code"] in {"not_found", "nul_character"}


def test_the_manifest_api_needs_a_signed_in_user():
    built = build_course(slug="anonim", lessons=1, quiz_lessons=())
    assert Client().get(f"/api/v1/courses/{built.course.pk}/offline").status_code == 401


# ---------------------------------------------------------------------------------------------
# The device token and signing out
# ---------------------------------------------------------------------------------------------


def test_a_device_token_needs_the_session_and_its_csrf_token(signed_in, trainer):
    assert Client().post("/api/v1/auth/device-token").status_code == 401
    assert signed_in.post("/api/v1/auth/device-token").status_code == 403
    assert not APIToken.objects.filter(user=trainer).exists()

    response = signed_in.post("/api/v1/auth/device-token", HTTP_X_CSRFTOKEN=_csrf(signed_in))
    assert response.status_code == 200
    token = response.json()["token"]
    assert Client().get("/api/v1/me/progress", **bearer(token)).status_code == 200


def test_a_new_device_token_ends_the_sessions_earlier_one(signed_in, trainer):
    csrf = _csrf(signed_in)
    first = signed_in.post("/api/v1/auth/device-token", HTTP_X_CSRFTOKEN=csrf).json()["token"]
    second = signed_in.post("/api/v1/auth/device-token", HTTP_X_CSRFTOKEN=csrf).json()["token"]
    assert Client().get("/api/v1/me/progress", **bearer(first)).status_code == 401
    assert Client().get("/api/v1/me/progress", **bearer(second)).status_code == 200


def test_signing_out_revokes_the_device_token_and_clears_the_site_data(trainer):
    browser = Client()
    browser.post("/accounts/login/", {"username": trainer.username, "password": PASSWORD})
    browser.get("/dashboard/")
    device = browser.post("/api/v1/auth/device-token").json()["token"]
    # A token the trainer made for another device (an app) is not this session's.
    other_device = token_for(trainer)

    response = browser.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert Client().get("/api/v1/me/progress", **bearer(device)).status_code == 401
    assert Client().get("/api/v1/me/progress", **bearer(other_device)).status_code == 200


def test_the_user_key_differs_per_user_and_does_not_show_the_id():
    first, second = TrainerFactory(), TrainerFactory()
    key = offline_user_key(user=first)
    assert key == offline_user_key(user=first)
    assert key != offline_user_key(user=second)
    assert re.fullmatch(r"[0-9a-f]{20}", key) and str(first.pk) != key


# ---------------------------------------------------------------------------------------------
# The service worker, the web app manifest, the offline page, the pages' markup
# ---------------------------------------------------------------------------------------------


def test_the_service_worker_is_served_at_the_root_for_the_whole_site_and_not_cached_long():
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert 'self.TOT_CORE_URL = "/static/js/offline-core.js";' in body
    assert "importScripts(self.TOT_CORE_URL)" in body


def test_the_service_worker_and_offline_scripts_stay_within_15_kb_compressed():
    scripts = ("js/sw.js", "js/offline-core.js", "js/offline.js")
    compressed = 0
    for path in scripts:
        with open(finders.find(path), "rb") as handle:
            compressed += len(gzip.compress(handle.read(), compresslevel=9))
    assert compressed <= 15 * 1024


def test_the_web_app_manifest_is_in_indonesian_with_icons():
    data = Client().get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="id").json()
    assert data["name"] == "TOT Purna PMI"
    assert data["lang"] == "id"
    assert data["display"] == "standalone"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_the_offline_page_lists_the_saved_courses_by_script(signed_in):
    html = signed_in.get("/offline/").content.decode()
    assert "Anda sedang offline" in html
    assert 'id="offline-saved"' in html


def test_a_signed_in_trainers_pages_carry_the_offline_client_without_inline_script(signed_in, trainer):
    built = build_course(slug="markup", lessons=1, quiz_lessons=(0,))
    services.enrolment_create(trainer=trainer, course=built.course)
    for url in ("/dashboard/", built.course.url, built.lessons[0].url):
        html = signed_in.get(url).content.decode()
        assert f'data-user="{offline_user_key(user=trainer)}"' in html
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
        assert not re.search(r"\son[a-z]+=", html)
    lesson = signed_in.get(built.lessons[0].url).content.decode()
    assert f'data-offline="complete" data-lesson="{built.lessons[0].pk}"' in lesson
    assert f'data-offline="quiz" data-quiz="{built.quiz_ids[0]}"' in lesson
    assert "Simpan untuk dibaca offline" in signed_in.get(built.course.url).content.decode()


def test_anonymous_pages_load_no_offline_script():
    built = build_course(slug="publik", lessons=1, quiz_lessons=())
    html = Client().get(built.lessons[0].url).content.decode()
    assert "offline.js" not in html and 'id="offline-ui"' not in html
    assert 'rel="manifest"' in html


# ---------------------------------------------------------------------------------------------
# One queue sent twice, and from two tabs at once
# ---------------------------------------------------------------------------------------------


def _queue(built):
    at = (timezone.now() - timedelta(minutes=5)).isoformat()
    quiz_id = built.quiz_ids[0]
    return [
        {
            "id": str(uuid.uuid4()),
            "type": "lesson_completed",
            "at": at,
            "lesson_id": str(built.lessons[0].pk),
        },
        {
            "id": str(uuid.uuid4()),
            "type": "quiz_attempt",
            "at": at,
            "quiz_id": quiz_id,
            "answers": right_answers(quiz_id),
        },
    ]


def test_the_same_queue_sent_twice_applies_each_event_once(trainer):
    built = build_course(slug="dua-kali", lessons=2, quiz_lessons=(0,))
    services.enrolment_create(trainer=trainer, course=built.course)
    api = Client(**bearer(token_for(trainer)))
    events = _queue(built)
    first = api.post("/api/v1/me/sync", {"events": events}, content_type="application/json").json()
    second = api.post("/api/v1/me/sync", {"events": events}, content_type="application/json").json()
    assert (first["applied"], second["duplicate"], second["applied"]) == (2, 2, 0)
    assert LessonProgress.objects.filter(enrolment__trainer=trainer).count() == 1
    assert QuizAttempt.objects.filter(enrolment__trainer=trainer).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_queue_sent_from_two_tabs_at_once_applies_each_event_once():
    trainer = TrainerFactory()
    built = build_course(slug="dua-tab", lessons=2, quiz_lessons=(0,))
    services.enrolment_create(trainer=trainer, course=built.course)
    token = token_for(trainer)
    events = _queue(built)
    start = threading.Barrier(4)
    answers = []

    def tab():
        try:
            start.wait()
            response = Client(**bearer(token)).post(
                "/api/v1/me/sync", {"events": events}, content_type="application/json"
            )
            answers.append(response.json())
        finally:
            connection.close()

    tabs = [threading.Thread(target=tab) for _ in range(4)]
    for thread in tabs:
        thread.start()
    for thread in tabs:
        thread.join()

    assert len(answers) == 4
    assert sum(answer["applied"] for answer in answers) == 2
    assert sum(answer["duplicate"] for answer in answers) == 6
    assert LessonProgress.objects.filter(enrolment__trainer=trainer).count() == 1
    assert QuizAttempt.objects.filter(enrolment__trainer=trainer).count() == 1
    assert SyncEvent.objects.filter(trainer=trainer).count() == 2
