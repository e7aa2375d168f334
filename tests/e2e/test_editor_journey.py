"""An editor without publish rights writes a lesson with a quiz in the Wagtail admin and submits it
for moderation; an administrator approves it and it goes live. Screens under var/journeys/editor/;
the published lesson, a trainer page, gets the accessibility check."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupApprovalTask, GroupPagePermission, Workflow, WorkflowPage, WorkflowTask

from courses.models import LessonPage
from courses.people.roles import EDITORS_GROUP
from tests.e2e.journey import Journey, sign_in_admin
from tests.factories import AdminFactory, EditorFactory, build_course

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _moderated_editors(course):
    """What the data migrations set up (a transactional test flushes it): editors may add and edit
    the course's pages but not publish them, and every change goes through a moderators' task."""
    editors = Group.objects.get_or_create(name=EDITORS_GROUP)[0]
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=editors,
            page=course,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    moderators = Group.objects.get_or_create(name="Moderators")[0]
    task = GroupApprovalTask.objects.create(name="Persetujuan moderator")
    task.groups.add(moderators)
    workflow = Workflow.objects.create(name="Persetujuan moderator")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=course)


def test_an_editor_writes_a_lesson_with_a_quiz_and_a_moderator_publishes_it(live_server, browser):
    built = build_course(slug="moderasi", lessons=1, quiz_lessons=())
    module = built.modules[0]
    _moderated_editors(built.course)
    EditorFactory(username="penulis")
    AdminFactory(username="moderator")
    journey = Journey("editor")
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()

    # The editor adds a lesson under the module, with a quiz of one question.
    sign_in_admin(page, live_server.url, "penulis")
    page.goto(f"{live_server.url}/admin/pages/add/courses/lessonpage/{module.pk}/")
    journey.shot(page, "new lesson")
    page.locator("#id_title").fill("Pelajaran moderasi")
    page.locator("[data-streamfield-stream-container] button[title], button.c-sf-add-button").first.click()
    page.get_by_role("option", name="Kuis", exact=True).click()
    page.locator('input[name="body-0-value-title"]').fill("Kuis moderasi")
    page.locator('textarea[name="body-0-value-questions-0-value-text"]').fill("Apa warna bendera?")
    page.locator('input[name="body-0-value-questions-0-value-choices-0-value-text"]').fill("Merah putih")
    page.locator('input[name="body-0-value-questions-0-value-choices-0-value-correct"]').check()
    page.locator('input[name="body-0-value-questions-0-value-choices-1-value-text"]').fill("Biru")
    journey.shot(page, "lesson with a quiz")

    # Submit for moderation: the editor has no publish button (the menu's items are in the page,
    # behind the "more actions" toggle).
    assert page.locator('button[name="action-publish"]').count() == 0
    page.locator('button[name="action-submit"]').evaluate("button => button.click()")
    page.wait_for_url(re.compile(r"/admin/pages/\d+/(edit/)?$"))
    lesson = LessonPage.objects.get(title="Pelajaran moderasi")
    assert not lesson.live
    assert lesson.current_workflow_state.status == "in_progress"
    journey.shot(page, "submitted")

    # The moderator approves it from the page's editor: it goes live.
    page.context.clear_cookies()  # signed out
    sign_in_admin(page, live_server.url, "moderator")
    page.goto(f"{live_server.url}/admin/pages/{lesson.pk}/edit/")
    journey.shot(page, "moderator sees the lesson")
    page.locator('button[data-workflow-action-name="approve"]').first.evaluate("button => button.click()")
    for _ in range(50):  # the action is posted by the admin's script, then the page reloads
        lesson.refresh_from_db()
        if lesson.live:
            break
        page.wait_for_timeout(200)
    page.wait_for_load_state()
    assert lesson.live
    journey.shot(page, "approved")

    # The published lesson shows its quiz to anyone (sign-in is needed only to answer).
    page.goto(live_server.url + lesson.url)
    assert "Kuis moderasi" in page.content()
    journey.trainer_page(page, "published lesson")
    context.close()
