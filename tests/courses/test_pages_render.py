"""Every page type renders for an anonymous visitor, in Indonesian by default and in English on request."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from courses.models import CoursePage, FacilitatorGuideIndexPage, LessonPage, ModulePage
from tests.factories import (
    FacilitatorGuideIndexPageFactory,
    FacilitatorGuidePageFactory,
    build_course,
    home_page,
)

pytestmark = pytest.mark.django_db

LESSON_PAGE_BUDGET = 100 * 1024  # HTML + CSS + JS of a lesson page, content images aside


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    # `make test` compiles the catalogues first; this keeps a bare `pytest` run honest too.
    call_command("compilemessages", locale=["id", "en"], ignore_patterns=[".venv"], verbosity=0)


@pytest.fixture
def site_pages():
    course = build_course(modules=2, lessons=4, quiz_lessons=(1, 3)).course
    module = ModulePage.objects.child_of(course).first()
    lesson = LessonPage.objects.child_of(module).first()
    quiz_lesson = LessonPage.objects.child_of(module).last()
    guide_index = FacilitatorGuideIndexPageFactory(parent=home_page())
    guide = FacilitatorGuidePageFactory(
        parent=guide_index, course=course, module=module, title="Sesi pertama"
    )
    return {
        "home": home_page(),
        "course_index": course.get_parent(),
        "course": course,
        "module": module,
        "lesson": lesson,
        "quiz_lesson": quiz_lesson,
        "guide_index": guide_index,
        "guide": guide,
    }


@pytest.mark.parametrize(
    "name", ["home", "course_index", "course", "module", "lesson", "quiz_lesson", "guide_index", "guide"]
)
def test_page_renders_with_breadcrumb_and_indonesian_interface(client, site_pages, name):
    page = site_pages[name]
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert page.title in html
    assert "Langsung ke isi" in html
    if name != "home":
        assert 'class="breadcrumb"' in html
        assert ">Beranda</a>" in html


def test_interface_switches_to_english_with_the_language_switcher(client, site_pages):
    response = client.post("/i18n/setlang/", {"language": "en", "next": site_pages["guide"].url})
    assert response.status_code == 302
    html = client.get(site_pages["guide"].url).content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Agenda" in html and "Session goals" in html
    assert ">Home</a>" in html
    html = client.get(site_pages["course"].url).content.decode()
    assert "Course content" in html


def test_course_page_lists_modules_and_lessons_in_order(client, site_pages):
    course = site_pages["course"]
    html = client.get(course.url).content.decode()
    outline = html[html.index('class="outline"') :]
    titles = re.findall(r">(Pelajaran \d\.\d)</a>", outline)
    assert titles == ["Pelajaran 1.1", "Pelajaran 1.2", "Pelajaran 2.1", "Pelajaran 2.2"]
    assert "Sesi pertama" in html  # its facilitator guide


def test_guide_page_shows_cumulative_start_times(client, site_pages):
    html = client.get(site_pages["guide"].url).content.decode()
    # Steps of 15 and 45 minutes start at 0:00 and 0:15 and the session ends at 1:00.
    assert re.search(r"0:00.*Pembukaan.*0:15.*Praktik.*1:00", html, re.S)
    assert "@media print" in Path(finders.find("css/site.css")).read_text(encoding="utf-8")


def _page_weight(client, url: str) -> int:
    html = client.get(url).content
    total = len(html)
    for href in re.findall(rb'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html):
        path = finders.find(href.decode().removeprefix("/static/"))
        assert path, href
        total += Path(path).stat().st_size
    for src in re.findall(rb'<script[^>]+src="([^"]+)"', html):
        path = finders.find(src.decode().removeprefix("/static/"))
        assert path, src
        total += Path(path).stat().st_size
    return total


def test_the_heaviest_demo_lesson_page_stays_under_100_kb(client):
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    weights = {lesson.url: _page_weight(client, lesson.url) for lesson in LessonPage.objects.live()}
    assert len(weights) >= 12
    assert max(weights.values()) < LESSON_PAGE_BUDGET, weights
    assert CoursePage.objects.live().exists() and FacilitatorGuideIndexPage.objects.live().exists()
