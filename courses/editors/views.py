"""The item statistics screen of a lesson's quizzes. Thin: find the lesson, check that the user may
edit it (Wagtail's page permissions, so object-level), call the selector, render.

A lesson the user may not edit is "not found", like one that does not exist (the project's rule for
"not yours"); Wagtail would turn a PermissionDenied into a redirect to the dashboard."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from courses.models import LessonPage
from courses.selectors import item_statistics, page_id_parse


def user_can_see_item_statistics(*, user, page) -> bool:
    """Whoever may edit the lesson: its editors, moderators and administrators."""
    return page.permissions_for_user(user).can_edit()


@require_GET
def quiz_item_statistics(request, page_id: str, quiz_id: str | None = None):
    # The id as text: a number too long for the database would crash the query.
    lesson = get_object_or_404(LessonPage, pk=page_id_parse(page_id))
    if not user_can_see_item_statistics(user=request.user, page=lesson):
        raise Http404
    quizzes = item_statistics.lesson_item_statistics(lesson=lesson, quiz_id=quiz_id)
    if quiz_id is not None and not quizzes:
        raise Http404
    context = {
        "title": _("Statistik butir soal"),
        "lesson": lesson,
        "quizzes": quizzes,
        "edit_url": reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        "min_answers": item_statistics.MIN_ANSWERS,
        "group_percent": round(item_statistics.GROUP_SHARE * 100),
    }
    return TemplateResponse(request, "courses/admin/item_statistics.html", context)
