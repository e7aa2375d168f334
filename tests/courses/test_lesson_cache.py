"""The shared cache of lesson pages (courses.content_cache): what every reader sees alike is cached,
what belongs to one reader never is, and no edit, unpublish, move or restriction waits for an
entry to expire."""

import re
import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client, override_settings
from wagtail.models import PageViewRestriction

from courses import content_cache, services
from courses.models import LessonPage
from tests.courses.learning_helpers import quiz_submit
from tests.factories import ImageFactory, TrainerFactory, build_course, right_answers, wrong_answers
from tests.queries import assert_database_query_count

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def built():
    return build_course(modules=2, lessons=4, quiz_lessons=(1,), image=ImageFactory())


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _publish_body(lesson: LessonPage, text: str) -> LessonPage:
    """Change the lesson's first paragraph as an editor does: a new revision, published."""
    lesson = LessonPage.objects.get(pk=lesson.pk)
    raw = list(lesson.body.raw_data)
    raw[0] = {**raw[0], "value": f"<p>{text}</p>"}
    lesson.body = raw
    lesson.save_revision().publish()
    return lesson


def _cached_values() -> list[bytes]:
    # The test settings' cache is local memory, which keeps every value pickled.
    return list(cache._cache.values())


def test_the_cached_page_is_the_page_built_from_the_database(built):
    lesson = built.lessons[1]  # text, image and a quiz
    trainer = TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    pages = {}
    for switch in (False, True):
        with override_settings(LESSON_CACHE=switch):
            for who, client in (("anonymous", Client()), ("trainer", _signed_in(trainer))):
                client.get(lesson.url)  # fills the cache (when on)
                response = client.get(lesson.url)
                assert response.status_code == 200
                pages[switch, who] = CSRF_INPUT.sub("", response.content.decode())
    assert pages[True, "anonymous"] == pages[False, "anonymous"]
    assert pages[True, "trainer"] == pages[False, "trainer"]


def test_a_cached_anonymous_lesson_page_reads_only_the_lesson_from_the_database(built):
    client = Client()
    client.get(built.lessons[1].url)
    # The lesson itself, found by its URL; the site, its root page, the view restrictions, the
    # outline, the ancestors and the rendered body come from the cache.
    with assert_database_query_count(1, label="halaman pelajaran dari cache, tanpa login"):
        response = client.get(built.lessons[1].url)
    assert response.status_code == 200
    assert "Isi pelajaran 1.2." in response.content.decode()


def test_an_edit_published_shows_at_once(built):
    lesson = built.lessons[0]
    client = Client()
    assert "Isi pelajaran 1.1." in client.get(lesson.url).content.decode()
    _publish_body(lesson, "Isi yang baru diterbitkan.")
    page = client.get(lesson.url).content.decode()
    assert "Isi yang baru diterbitkan." in page
    assert "Isi pelajaran 1.1." not in page


def test_a_draft_and_its_preview_never_reach_the_live_page(built):
    lesson = LessonPage.objects.get(pk=built.lessons[0].pk)
    client = Client()
    client.get(lesson.url)
    raw = list(lesson.body.raw_data)
    raw[0] = {**raw[0], "value": "<p>Draf rahasia editor.</p>"}
    lesson.body = raw
    lesson.save_revision()  # a draft: the live page stays as it is
    preview = lesson.make_preview_request()
    assert "Draf rahasia editor." in preview.content.decode()
    assert "Draf rahasia editor." not in client.get(lesson.url).content.decode()
    assert not any(b"Draf rahasia" in value for value in _cached_values())


def test_an_unpublished_lesson_is_not_served_from_the_cache(built):
    lesson = built.lessons[0]
    client = Client()
    assert client.get(lesson.url).status_code == 200
    LessonPage.objects.get(pk=lesson.pk).unpublish()
    assert client.get(lesson.url).status_code == 404


def test_an_unpublished_lesson_leaves_the_outline_at_once(built):
    trainer = TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    client = _signed_in(trainer)
    first, second, third = built.lessons[:3]
    assert second.title in client.get(first.url).content.decode()  # "next" link
    LessonPage.objects.get(pk=second.pk).unpublish()
    page = client.get(first.url).content.decode()
    assert second.title not in page
    assert third.title in page


def test_a_lesson_made_private_is_never_served_from_the_cache_to_those_without_access(built):
    lesson = built.lessons[1]
    anonymous, outsider = Client(), _signed_in(TrainerFactory())
    for client in (anonymous, outsider):
        assert client.get(lesson.url).status_code == 200
    group = Group.objects.create(name="Pilot")
    restriction = PageViewRestriction.objects.create(
        page=built.course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    for client in (anonymous, outsider):
        response = client.get(lesson.url)
        assert response.status_code == 302
        assert "Isi pelajaran 1.2." not in response.content.decode()
    member = TrainerFactory()
    member.groups.add(group)
    assert _signed_in(member).get(lesson.url).status_code == 200


def test_a_trainer_never_sees_another_trainers_progress_or_quiz_state(built):
    lesson = built.lessons[1]
    quiz_id = built.quiz_ids[0]
    achiever, newcomer = TrainerFactory(), TrainerFactory()
    for trainer in (achiever, newcomer):
        services.enrolment_create(trainer=trainer, course=built.course)
    services.lesson_complete(trainer=achiever, lesson=lesson)
    quiz_submit(trainer=achiever, quiz_id=quiz_id, answers=wrong_answers(quiz_id))
    quiz_submit(trainer=achiever, quiz_id=quiz_id, answers=right_answers(quiz_id))

    achiever_page = _signed_in(achiever).get(lesson.url).content.decode()
    assert "Lulus" in achiever_page
    assert "Nilai terbaik: 100" in achiever_page

    newcomer_page = _signed_in(newcomer).get(lesson.url).content.decode()
    assert "Nilai terbaik" not in newcomer_page
    assert "Lihat hasil terakhir" not in newcomer_page
    assert "Tandai selesai" in newcomer_page  # the lesson is not done for this one
    assert "Kirim jawaban" in newcomer_page


def test_no_csrf_token_enters_the_shared_cache(built):
    lesson = built.lessons[1]
    first, second = TrainerFactory(), TrainerFactory()
    tokens = {}
    for trainer in (first, second):
        services.enrolment_create(trainer=trainer, course=built.course)
        client = _signed_in(trainer)
        client.get(lesson.url)
        page = client.get(lesson.url).content.decode()
        tokens[trainer.pk] = set(CSRF_INPUT.findall(page))
        assert tokens[trainer.pk]  # the page has its forms (completion, quiz, sign-out)
    assert tokens[first.pk].isdisjoint(tokens[second.pk])
    values = _cached_values()
    assert any(b"Isi pelajaran 1.2." in value for value in values)  # the body is cached
    assert not any(b"csrfmiddlewaretoken" in value for value in values)


def test_a_moved_lesson_is_found_at_its_new_address(built):
    lesson = LessonPage.objects.get(pk=built.lessons[0].pk)
    client = Client()
    old_url = lesson.url
    assert client.get(old_url).status_code == 200
    lesson.move(built.modules[1], pos="last-child")
    moved = LessonPage.objects.get(pk=lesson.pk)
    old = client.get(old_url)
    assert old.status_code != 200  # Wagtail's redirect to the new address, or 404
    assert old.get("Location", moved.url) == moved.url
    assert "Isi pelajaran 1.1." in client.get(moved.url).content.decode()


def test_the_switch_turns_the_cache_off(built):
    client = Client()
    with override_settings(LESSON_CACHE=False):
        assert client.get(built.lessons[1].url).status_code == 200
    keys = [key for key in list(cache._cache) if "courses:" in key or "template.cache" in key]
    assert [key for key in keys if content_cache.VERSION_KEY not in key] == []


def test_losing_the_content_version_never_brings_back_old_entries(built):
    lesson = built.lessons[0]
    client = Client()
    client.get(lesson.url)
    before = content_cache.version()
    cache.delete(content_cache.VERSION_KEY)
    assert content_cache.version() > before
    assert client.get(lesson.url).status_code == 200


def test_every_reader_gets_the_body_in_the_language_they_chose(built):
    lesson = LessonPage.objects.get(pk=built.lessons[0].pk)
    callout = {"kind": "warning", "title": "", "text": "<p>Bawa KTP.</p>"}
    lesson.body = [*lesson.body.raw_data, {"type": "callout", "id": str(uuid.uuid4()), "value": callout}]
    lesson.save_revision().publish()
    client = Client()
    assert "Peringatan" in client.get(lesson.url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(lesson.url).content.decode()
    assert "Warning" in english
    assert "Peringatan" not in english
