"""The trainer's course evaluation: once, after completion, validated, through the page and the API,
and never a condition of the certificate."""

import pytest
from django.core import mail
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import certificate_template_ensure_default
from courses import evaluations, services
from courses.models import CourseEvaluation
from tests.courses.api_helpers import bearer, token_for
from tests.courses.learning_helpers import quiz_submit
from tests.factories import TrainerFactory, build_course, right_answers

pytestmark = pytest.mark.django_db

GOOD = {
    "rating": "5",
    "useful": "ya",
    "applicable": "tidak",
    "comment": "  Contoh kasusnya sangat membantu.  ",
}


def complete(built, trainer=None):
    trainer = trainer or TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    for lesson in built.lessons:
        services.lesson_complete(trainer=trainer, lesson=lesson)
    for quiz_id in built.quiz_ids:
        quiz_submit(trainer=trainer, quiz_id=quiz_id, answers=right_answers(quiz_id))
    return trainer


@pytest.fixture
def built():
    return build_course(slug="evaluasi", lessons=2, quiz_lessons=(1,))


# --- the rule ----------------------------------------------------------------------------------------


def test_an_evaluation_is_stored_once_after_completion(built):
    trainer = complete(built)
    evaluation = evaluations.course_evaluation_create(trainer=trainer, course=built.course, **GOOD)
    assert (evaluation.rating, evaluation.useful, evaluation.applicable) == (5, True, False)
    assert evaluation.comment == "Contoh kasusnya sangat membantu."
    with pytest.raises(evaluations.AlreadyEvaluated) as refused:
        evaluations.course_evaluation_create(
            trainer=trainer, course=built.course, rating=1, useful=False, applicable=True, comment="lain"
        )
    assert refused.value.evaluation.pk == evaluation.pk
    assert CourseEvaluation.objects.get().rating == 5  # unchanged


def test_no_evaluation_before_completion_or_without_enrolment(built):
    trainer = TrainerFactory()
    with pytest.raises(services.NotEnrolled):
        evaluations.course_evaluation_create(trainer=trainer, course=built.course, **GOOD)
    services.enrolment_create(trainer=trainer, course=built.course)
    with pytest.raises(evaluations.CourseNotCompleted):
        evaluations.course_evaluation_create(trainer=trainer, course=built.course, **GOOD)
    assert not CourseEvaluation.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("rating", 0),
        ("rating", 6),
        ("rating", "6"),
        ("rating", "-1"),
        ("rating", "4.5"),
        ("rating", "lima"),
        ("rating", ""),
        ("rating", None),
        ("rating", True),
        ("rating", 10**30),
        ("rating", "９"),  # a full-width digit: isdigit() says yes, it is no rating
        ("useful", ""),
        ("useful", "mungkin"),
        ("applicable", None),
        ("comment", "x" * 2001),
        ("comment", ["daftar"]),
    ],
)
def test_bad_answers_are_refused_with_a_message_and_nothing_stored(built, field, value):
    trainer = complete(built)
    with pytest.raises(evaluations.EvaluationInvalid) as refused:
        evaluations.course_evaluation_create(trainer=trainer, course=built.course, **{**GOOD, field: value})
    assert field in refused.value.field_errors
    assert not CourseEvaluation.objects.exists()


def test_a_comment_of_2000_characters_is_accepted(built):
    trainer = complete(built)
    evaluations.course_evaluation_create(
        trainer=trainer, course=built.course, **{**GOOD, "comment": "y" * 2000}
    )
    assert len(CourseEvaluation.objects.get().comment) == 2000


def test_the_certificate_never_waits_for_an_evaluation(django_capture_on_commit_callbacks):
    built = build_course(
        slug="bersertifikat",
        lessons=2,
        quiz_lessons=(1,),
        auto_issue_certificate=True,
        certificate_template=certificate_template_ensure_default(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        trainer = complete(built)
    assert Certificate.objects.filter(
        trainer=trainer, course=built.course, status=Certificate.Status.VALID
    ).exists()
    assert not CourseEvaluation.objects.exists()
    assert mail.outbox  # the completion e-mail went out as always


# --- the page ----------------------------------------------------------------------------------------


def test_the_dashboard_asks_for_an_evaluation_once_the_course_is_complete(client, built):
    trainer = TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    client.force_login(trainer)
    url = reverse("course_evaluation", args=[built.course.pk])
    assert url not in client.get(reverse("dashboard")).content.decode()
    complete(built, trainer)
    assert url in client.get(reverse("dashboard")).content.decode()
    assert url in client.get(built.course.url).content.decode()


def test_the_evaluation_form_sends_once_and_then_thanks(client, built):
    trainer = complete(built)
    client.force_login(trainer)
    url = reverse("course_evaluation", args=[built.course.pk])
    page = client.get(url).content.decode()
    assert 'name="rating"' in page and "Kirim penilaian" in page
    response = client.post(url, GOOD)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert CourseEvaluation.objects.get().rating == 5
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Penilaian terkirim" in dashboard and url not in dashboard

    again = client.post(url, {**GOOD, "rating": "1"}, follow=True)
    assert "sudah memberi penilaian" in again.content.decode()
    assert "Kirim penilaian" not in again.content.decode()
    assert CourseEvaluation.objects.get().rating == 5


def test_the_form_shows_each_mistake_and_keeps_the_answers(client, built):
    trainer = complete(built)
    client.force_login(trainer)
    url = reverse("course_evaluation", args=[built.course.pk])
    response = client.post(url, {"rating": "9", "useful": "ya", "comment": "<b>komentar</b>"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Pilih nilai 1 sampai 5." in page
    assert "Pilih “Ya” atau “Tidak”." in page  # applicable missing
    assert "&lt;b&gt;komentar&lt;/b&gt;" in page  # kept, escaped
    assert 'value="ya" required checked' in page
    assert not CourseEvaluation.objects.exists()


def test_the_form_before_completion_says_so(client, built):
    trainer = TrainerFactory()
    services.enrolment_create(trainer=trainer, course=built.course)
    client.force_login(trainer)
    url = reverse("course_evaluation", args=[built.course.pk])
    assert "setelah kursus selesai" in client.get(url).content.decode()
    response = client.post(url, GOOD, follow=True)
    assert "setelah kursus selesai" in response.content.decode()
    assert not CourseEvaluation.objects.exists()


def test_the_evaluation_page_of_a_course_not_enrolled_in_or_unknown_is_not_found(client, built):
    client.force_login(TrainerFactory())
    assert client.get(reverse("course_evaluation", args=[built.course.pk])).status_code == 404
    assert client.post(reverse("course_evaluation", args=[built.course.pk]), GOOD).status_code == 404
    assert client.get("/learn/courses/999999999999/evaluation/").status_code == 404
    assert client.get("/learn/courses/9999999999999999/evaluation/").status_code == 404


def test_the_evaluation_page_needs_a_sign_in(client, built):
    response = client.get(reverse("course_evaluation", args=[built.course.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_nul_byte_in_the_comment_is_refused_before_anything_is_stored(client, built):
    trainer = complete(built)
    client.force_login(trainer)
    response = client.post(
        reverse("course_evaluation", args=[built.course.pk]), {**GOOD, "comment": "a\x00b"}
    )
    assert response.status_code == 400
    assert not CourseEvaluation.objects.exists()


# --- the API -----------------------------------------------------------------------------------------


def test_the_api_takes_one_evaluation_of_a_completed_course(client, built):
    trainer = complete(built)
    api = bearer(token_for(trainer))
    url = f"/api/v1/me/evaluations/{built.course.pk}"
    assert client.get(url, **api).status_code == 404
    body = {"rating": 4, "useful": True, "applicable": True, "comment": "Bermanfaat."}
    created = client.post(url, body, content_type="application/json", **api)
    assert created.status_code == 201
    assert created.json()["rating"] == 4 and created.json()["course_id"] == str(built.course.pk)
    again = client.post(url, {**body, "rating": 1}, content_type="application/json", **api)
    assert again.status_code == 409 and again.json()["code"] == "already_evaluated"
    assert client.get(url, **api).json()["rating"] == 4


@pytest.mark.parametrize(
    "body",
    [
        {"rating": 0, "useful": True, "applicable": True},
        {"rating": 6, "useful": True, "applicable": True},
        {"rating": 10**40, "useful": True, "applicable": True},
        {"rating": "lima", "useful": True, "applicable": True},
        {"rating": 3, "useful": "mungkin", "applicable": True},
        {"rating": 3, "useful": True},
        {"rating": 3, "useful": True, "applicable": True, "comment": "x" * 2001},
    ],
)
def test_the_api_refuses_bad_evaluations_with_422(client, built, body):
    trainer = complete(built)
    response = client.post(
        f"/api/v1/me/evaluations/{built.course.pk}",
        body,
        content_type="application/json",
        **bearer(token_for(trainer)),
    )
    assert response.status_code == 422
    assert response.json()["detail"]
    assert not CourseEvaluation.objects.exists()


def test_the_api_refuses_an_evaluation_before_completion_or_without_enrolment(client, built):
    trainer = TrainerFactory()
    api = bearer(token_for(trainer))
    url = f"/api/v1/me/evaluations/{built.course.pk}"
    body = {"rating": 5, "useful": True, "applicable": True}
    refused = client.post(url, body, content_type="application/json", **api)
    assert refused.status_code == 403 and refused.json()["code"] == "not_enrolled"
    services.enrolment_create(trainer=trainer, course=built.course)
    refused = client.post(url, body, content_type="application/json", **api)
    assert refused.status_code == 409 and refused.json()["code"] == "not_completed"
    assert (
        client.post(
            "/api/v1/me/evaluations/12345678901234", body, content_type="application/json", **api
        ).status_code
        == 404
    )
    assert not CourseEvaluation.objects.exists()


def test_a_trainer_never_reads_another_trainers_evaluation(client, built):
    owner = complete(built)
    evaluations.course_evaluation_create(trainer=owner, course=built.course, **GOOD)
    other = complete(built)
    response = client.get(f"/api/v1/me/evaluations/{built.course.pk}", **bearer(token_for(other)))
    assert response.status_code == 404
