"""The trainer's course evaluation page ("Beri penilaian"): asked once after completing a course,
linked from the completion screens and the dashboard. Thin: the rules are in courses.evaluations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from courses import evaluations, selectors
from courses.models import CoursePage
from courses.models.evaluations import COMMENT_MAX_LENGTH, RATING_MAX, RATING_MIN
from courses.views import viewable_or_404

RATING_LABELS = {
    1: gettext_lazy("Sangat kurang"),
    2: gettext_lazy("Kurang"),
    3: gettext_lazy("Cukup"),
    4: gettext_lazy("Baik"),
    5: gettext_lazy("Sangat baik"),
}


def _rating_choices() -> list[tuple[int, str]]:
    return [(value, RATING_LABELS[value]) for value in range(RATING_MIN, RATING_MAX + 1)]


@login_required
@require_http_methods(["GET", "POST"])
def course_evaluation(request: HttpRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(CoursePage.objects.live().defer_streamfields(), pk=course_id)
    viewable_or_404(request, course)
    enrolment = selectors.enrolment_get(trainer=request.user, course=course)
    if enrolment is None:
        raise Http404
    course_url = course.get_url(request=request) or "/"
    values = {"rating": "", "useful": "", "applicable": "", "comment": ""}
    errors: dict[str, str] = {}
    message = ""
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        try:
            evaluations.course_evaluation_create(trainer=request.user, course=course, **values)
        except evaluations.AlreadyEvaluated as refused:
            messages.info(request, refused.message)
            return redirect(reverse("course_evaluation", args=[course.pk]))
        except evaluations.EvaluationInvalid as invalid:
            message, errors, status = invalid.message, invalid.field_errors, 400
        except evaluations.LearningError as refused:
            messages.error(request, refused.message)
            return redirect(course_url)
        else:
            messages.success(
                request, _("Terima kasih! Penilaian Anda membantu kami memperbaiki pelatihan ini.")
            )
            return redirect(reverse("dashboard"))
    context = {
        "course": course,
        "course_url": course_url,
        "enrolment": enrolment,
        "evaluation": evaluations.course_evaluation_get(trainer=request.user, course=course),
        "rating_choices": _rating_choices(),
        "values": values,
        "errors": errors,
        "message": message,
        "comment_max_length": COMMENT_MAX_LENGTH,
    }
    return render(request, "courses/course_evaluation.html", context, status=status)
