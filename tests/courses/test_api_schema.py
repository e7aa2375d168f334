"""The OpenAPI schema at /api/v1/openapi.json: complete, and no answers in what comes before a submission."""

import json

import pytest
from django.test import Client

from tests.factories import EXPLANATION, build_course

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/auth/token": {"post", "delete"},
    "/api/v1/auth/token/revoke": {"post"},
    "/api/v1/courses": {"get"},
    "/api/v1/quizzes/{quiz_id}": {"get"},
    "/api/v1/courses/{course_id}/enrol": {"post"},
    "/api/v1/lessons/{lesson_id}/complete": {"post"},
    "/api/v1/quizzes/{quiz_id}/attempts": {"post", "get"},
    "/api/v1/me/progress": {"get"},
    "/api/v1/me/sync": {"post"},
}


@pytest.fixture
def schema():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def resolve(schema, node, seen=None):
    """Every property name reachable from a schema node, following $refs."""
    seen = seen if seen is not None else set()
    names = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref and ref not in seen:
            seen.add(ref)
            names |= resolve(schema, schema["components"]["schemas"][ref.rsplit("/", 1)[1]], seen)
        names |= set(node.get("properties", {}))
        for value in node.values():
            names |= resolve(schema, value, seen)
    elif isinstance(node, list):
        for value in node:
            names |= resolve(schema, value, seen)
    return names


def test_schema_lists_every_endpoint_with_schemas_for_bodies_and_responses(schema):
    for path, methods in PATHS.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), path
        for method in methods:
            operation = schema["paths"][path][method]
            ok = next(code for code in operation["responses"] if code.startswith("2"))
            if ok != "204":
                assert operation["responses"][ok]["content"]["application/json"]["schema"], (path, method)
            if method == "post" and path.endswith(("/attempts", "/sync", "/auth/token")):
                assert operation["requestBody"]["content"]["application/json"]["schema"]
    attempt = schema["paths"]["/api/v1/quizzes/{quiz_id}/attempts"]["post"]
    assert {"201", "401", "403", "404", "409", "422"} <= set(attempt["responses"])
    schemes = schema["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} == {"http", "apiKey"}


@pytest.mark.parametrize(("path", "code"), [("/api/v1/courses", "200"), ("/api/v1/quizzes/{quiz_id}", "200")])
def test_schemas_before_a_submission_have_no_answer_fields(schema, path, code):
    response_schema = schema["paths"][path]["get"]["responses"][code]["content"]["application/json"]["schema"]
    names = resolve(schema, response_schema)
    assert "questions" in names or "quiz_ids" in names
    assert not names & {"correct", "explanation", "correct_choice_ids"}


def test_examples_carry_no_answers(schema):
    for name in ("CourseOut", "QuizOut", "QuizQuestionOut", "QuizChoiceOut", "LessonOut", "ModuleOut"):
        text = json.dumps(schema["components"]["schemas"][name])
        assert '"correct"' not in text and '"explanation"' not in text, name


def test_schema_never_contains_content_from_the_database(schema):
    build_course()
    text = Client().get("/api/v1/openapi.json").content.decode()
    assert EXPLANATION.split("{")[0] not in text
