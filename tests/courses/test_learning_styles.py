"""The learning screens link their style sheet once, in the head, never from inside the body."""

import pytest
from django.urls import reverse

from courses import services
from tests.factories import TrainerFactory, build_course

pytestmark = pytest.mark.django_db

LEARN_CSS = "courses/learn.css"


def assert_linked_once_in_head(html: str) -> None:
    head, _, body = html.partition("</head>")
    assert body, "no </head>"
    assert head.count(LEARN_CSS) == 1
    assert LEARN_CSS not in body


def test_course_and_lesson_pages_link_the_learning_styles_once_in_the_head(client):
    trainer = TrainerFactory()
    built = build_course(lessons=2, modules=1)
    services.enrolment_create(trainer=trainer, course=built.course)
    client.force_login(trainer)
    for url in (built.course.url, built.lessons[0].url, reverse("dashboard")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_linked_once_in_head(response.content.decode())


def test_a_visitor_gets_the_learning_styles_in_the_head_too(client):
    built = build_course(lessons=1, modules=1)
    for url in (built.course.url, built.lessons[0].url, reverse("login")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_linked_once_in_head(response.content.decode())
