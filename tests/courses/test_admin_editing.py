"""What editors and coordinators see in the admin: lessons in reading order, Indonesian for
Wagtail's own strings, and a course preview without a live enrolment button."""

import re

import pytest

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
