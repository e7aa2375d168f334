"""What editors and coordinators see in the admin: lessons in reading order, Indonesian for
Wagtail's own strings, and a course preview without a live enrolment button."""

import re

import pytest
from django.test import RequestFactory

from courses.models import Enrolment
from tests.factories import build_course

pytestmark = pytest.mark.django_db


def _listed(html: str, pattern: str) -> list[str]:
    return list(dict.fromkeys(re.findall(pattern, html)))


def test_explorer_lists_lessons_and_modules_in_reading_order_not_by_last_change(client, editor):
    built = build_course(modules=2, lessons=6, quiz_lessons=())
    for page in (built.lessons[1], built.modules[1]):  # changed last
        page.save_revision(user=editor)
    client.force_login(editor)
    module = f"/admin/pages/{built.modules[0].pk}/"
    lessons = ["Pelajaran 1.1", "Pelajaran 1.2", "Pelajaran 1.3"]
    assert _listed(client.get(module).content.decode(), r"Pelajaran 1\.\d") == lessons
    course = client.get(f"/admin/pages/{built.course.pk}/").content.decode()
    assert _listed(course, r"Modul \d") == ["Modul 1", "Modul 2"]
    # Sorting by last change is still there when asked for.
    latest_first = client.get(module + "?ordering=-latest_revision_created_at").content.decode()
    assert _listed(latest_first, r"Pelajaran 1\.\d")[0] == "Pelajaran 1.2"


def _preview(client, page, user):
    client.force_login(user)
    original = RequestFactory().get("/", HTTP_COOKIE=f"sessionid={client.cookies['sessionid'].value}")
    return page.make_preview_request(original_request=original).content.decode()


def test_an_editors_preview_of_a_course_offers_no_live_enrolment(client, editor):
    course = build_course(lessons=1, quiz_lessons=()).course
    html = _preview(client, course, editor)
    actions = html.split('id="course-actions"', 1)[1].split("</div>", 1)[0]
    assert "Ikuti kursus" in actions and "disabled" in actions
    assert "<form" not in actions and 'type="submit"' not in actions
    assert not Enrolment.objects.filter(course=course).exists()


def test_the_published_course_page_still_offers_enrolment(client, trainer):
    course = build_course(lessons=1, quiz_lessons=()).course
    client.force_login(trainer)
    html = client.get(course.url).content.decode()
    actions = html.split('id="course-actions"', 1)[1].split("</div>", 1)[0]
    assert 'type="submit"' in actions and "Ikuti kursus" in actions and "disabled" not in actions


@pytest.mark.parametrize(
    ("domain", "english", "indonesian"),
    [
        ("django", "Page title", "Judul halaman"),
        ("django", "Reports", "Laporan situs"),
        ("django", "Help", "Bantuan"),
        ("django", "Request changes", "Minta perubahan"),
        ("django", "Autosave is paused", "Simpan otomatis dijeda"),
        ("djangojs", "Collapse all", "Ciutkan semua"),
        ("djangojs", "Expand all", "Bentangkan semua"),
    ],
)
def test_the_admin_strings_editors_see_are_indonesian(domain, english, indonesian):
    from django.utils.translation.trans_real import DjangoTranslation

    assert DjangoTranslation("id", domain=domain).gettext(english) == indonesian


def test_a_lesson_edit_page_shows_no_english_labels(client, editor):
    lesson = build_course(lessons=1, quiz_lessons=(0,)).lessons[0]
    client.force_login(editor)
    html = client.get(f"/admin/pages/{lesson.pk}/edit/").content.decode()
    assert "Judul halaman" in html and "Simpan konsep" in html
    for english in (">Page title<", ">Save draft<", ">Help<", ">Reports<"):
        assert english not in html
