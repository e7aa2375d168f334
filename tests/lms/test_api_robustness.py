"""Whatever a client sends to /api/v1/, the answer is never a 5xx and always JSON.

The operations come from /api/v1/openapi.json, so a new endpoint is covered without touching this
file. Every path parameter and every body field gets arbitrary strings (NUL, any unicode, huge),
numbers (beyond 64 bits, floats, negative) and JSON of the wrong shape; bodies are also sent with
the wrong or a malformed content type. Signed in with a bearer token, on real published content,
so that the handlers go past the look-ups."""

import json
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.models import Enrolment
from tests.courses.api_helpers import token_for
from tests.factories import TrainerFactory, build_course

pytestmark = pytest.mark.django_db

EXAMPLES = 250

nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=10).map(lambda text: f"{text}\x00{text}"),
    st.sampled_from(["\x00", "%00", "../", "0", "-1", "1e309", "NaN", "٣", "²", " 1", "1.5"]),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.builds(lambda n: "9" * n, st.integers(min_value=19, max_value=5000)),
    st.builds(lambda n: "ä" * n, st.integers(min_value=100, max_value=20000)),
)
nasty_number = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([2**63, -(2**63) - 1, 2**64, 10**300, 0, -1]),
)
json_leaf = st.one_of(st.none(), st.booleans(), nasty_number, nasty_text)
any_json = st.recursive(
    json_leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(nasty_text, children, max_size=4)
    ),
    max_leaves=10,
)


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        options = [option for option in schema["anyOf"] if option.get("type") != "null"]
        schema = _resolve(options[0], components) if options else schema
    return schema


def _valid(schema: dict, components: dict, valid: dict, name: str) -> st.SearchStrategy:
    """A well-formed value for a field: a real one (existing ids, the quiz's answers) where the test
    has one, so that the handler gets past its look-ups, else a plain one of the field's type."""
    schema = _resolve(schema, components)
    if name in valid:
        real = valid[name]
        return real if isinstance(real, st.SearchStrategy) else st.sampled_from(real)
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        return st.fixed_dictionaries(
            {key: _valid(sub, components, valid, key) for key, sub in schema["properties"].items()}
        )
    if kind == "object":
        return st.dictionaries(
            st.sampled_from(valid["question_ids"]),
            _valid(schema.get("additionalProperties") or {}, components, valid, ""),
            max_size=2,
        )
    if kind == "array":
        return st.lists(_valid(schema.get("items") or {}, components, valid, ""), min_size=1, max_size=3)
    if kind in {"integer", "number"}:
        return st.integers(min_value=0, max_value=100)
    if kind == "boolean":
        return st.booleans()
    return st.text(alphabet="abcdefghij", min_size=1, max_size=8)


def _paths(document, prefix=()) -> list[tuple]:
    """Every place in a JSON document: the document itself, each value and each nested value."""
    found = [prefix]
    if isinstance(document, dict):
        for key, value in document.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += _paths(value, (*prefix, index))
    return found


def _replace(document, path: tuple, value):
    if not path:
        return value
    head, *rest = path
    copy = dict(document) if isinstance(document, dict) else list(document)
    copy[head] = _replace(document[head], tuple(rest), value)
    return copy


@st.composite
def _body(draw, schema: dict, components: dict, valid: dict):
    """A well-formed body with up to three of its fields (or the whole) replaced by nasty input."""
    document = draw(_valid(schema, components, valid, ""))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        path = draw(st.sampled_from(_paths(document)))
        document = _replace(document, path, draw(any_json))
    return document


def _operations(client: Client) -> dict[tuple[str, str], dict]:
    """(method, path) → its path parameters, body schema and the schema's components."""
    schema = client.get("/api/v1/openapi.json").json()
    components = schema.get("components", {}).get("schemas", {})
    operations = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            operations[(method, path)] = {
                "path_params": [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"],
                "body": body.get("schema"),
                "components": components,
            }
    return operations


@pytest.fixture
def world():
    built = build_course(slug="uji-ketahanan", lessons=3, quiz_lessons=(1,))
    trainer = TrainerFactory(username="pelatih-uji", password="sandi-rahasia-123")
    Enrolment.objects.create(trainer=trainer, course=built.course)
    quiz_id = built.quiz_ids[0]
    valid = {
        "course_id": [str(built.course.pk)],
        "lesson_id": [str(lesson.pk) for lesson in built.lessons],
        "quiz_id": [quiz_id],
        "attempt_id": ["1"],
        "question_ids": [f"{quiz_id}-q1", f"{quiz_id}-q2"],
        "answers": [{f"{quiz_id}-q1": [f"{quiz_id}-q1-a"], f"{quiz_id}-q2": [f"{quiz_id}-q2-a"]}],
        "type": ["lesson_completed", "quiz_attempt"],
        # Fresh event ids, or the sync would answer "duplicate" before looking at the rest.
        "id": st.uuids().map(str),
        "at": [
            "0001-01-01T00:00:00+23:59",
            "9999-12-31T23:59:59-23:59",
            (timezone.now() - timedelta(hours=1)).isoformat(),
        ],
        "username": ["pelatih-uji"],
        "code": ["ABCD-EFGH-JK"],
    }
    client = Client()
    return _World(client, trainer, valid, _operations(client))


class _World(tuple):
    def __new__(cls, *items):
        return super().__new__(cls, items)

    def __repr__(self) -> str:  # hypothesis prints the fixture with every failure: keep it short
        return "<course, enrolled trainer, operations>"


CONTENT_TYPES = [
    "application/json",
    "text/plain",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "application/x-www-form-urlencoded",
    "",
]


def _assert_json_not_5xx(response, what: str) -> None:
    assert response.status_code < 500, f"{what} → {response.status_code}: {response.content[:500]!r}"
    if response.status_code != 204:
        assert response["Content-Type"].startswith("application/json"), f"{what}: {response['Content-Type']}"
        json.loads(response.content)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_no_input_to_the_api_gives_a_server_error_or_a_non_json_answer(world, data):
    client, trainer, valid, operations = world
    method, path = data.draw(st.sampled_from(sorted(operations)), label="operation")
    spec = operations[(method, path)]
    url = path
    for name in spec["path_params"]:
        raw = data.draw(
            st.one_of(st.sampled_from(valid.get(name) or ["1"]), nasty_text, nasty_number.map(str))
        )
        url = url.replace("{" + name + "}", quote(str(raw), safe=""))
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token_for(trainer)}"}
    kwargs = {}
    if method in {"post", "put", "patch", "delete"}:
        if spec["body"] is not None:
            body = data.draw(_body(spec["body"], spec["components"], valid), label="body")
        else:
            body = data.draw(st.one_of(st.none(), any_json), label="body")
        content_type = data.draw(st.sampled_from(CONTENT_TYPES), label="content type")
        raw_body = data.draw(
            st.sampled_from(["json"] * 6 + ["nested", "broken", "nul-escape"]), label="encoding"
        )
        if raw_body == "json":
            payload = json.dumps(body) if body is not None else ""
        elif raw_body == "nested":
            payload = "[" * 100_000 + "]" * 100_000
        elif raw_body == "broken":
            payload = json.dumps(body)[:-1] + "\x00"
        else:
            payload = json.dumps({"username": "a\x00b", "password": "x", "name": "\x00", "events": []})
        kwargs = {"data": payload, "content_type": content_type}
    response = getattr(client, method)(url, **kwargs, **extra)
    _assert_json_not_5xx(response, f"{method.upper()} {url} {kwargs.get('content_type')!r}")
