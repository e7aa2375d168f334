"""The API against its own OpenAPI schema: schemathesis generates requests from /api/v1/openapi.json
(schema examples, boundary values, random and invalid data, and chains of calls that follow the
schema's links) and sends them, signed in with a trainer's bearer token, to a live server. No answer
may be a server error, and every answer must be one the schema lists, in the shape it gives.

The run is bounded (SCHEMATHESIS_MAX_EXAMPLES cases per operation, 5 by default: about a minute
here), runs once per CI run (in the PostgreSQL pass), and prints schemathesis's summary. The ids of
the trainer's real course, lessons, quiz and certificate are handed to schemathesis, so that
requests reach the handlers' logic instead of stopping at a 404.

Told apart on purpose (schemathesis.toml written below):
* requests without U+0000: the API refuses any NUL character with 400 before a handler runs
  (tests/lms/test_unsafe_input.py), and the schema lists that 400 under every operation;
* the two token-revoking operations are left out: they would end the run's own token;
* a quiz attempt whose draw the server never handed out, and a course evaluation of a course not
  finished, are rejected (422, 409) by rules no schema can state;
* `POST /me/sync` answers 200 and rejects a bad event inside the batch (README: "the rest of the
  batch applies"), so an invalid event is not a rejected request."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from wagtail.models import APIToken

from certificates.services import certificate_issue
from certificates.services.templates import certificate_template_ensure_default
from courses.services import enrolment_create, lesson_complete
from tests.factories import TrainerFactory, build_course

# Once per CI run: in the PostgreSQL pass (a minute and a half with its data), or with SCHEMATHESIS=1.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (os.environ.get("DATABASE_URL") or os.environ.get("SCHEMATHESIS") == "1"),
        reason="runs in the PostgreSQL pass of CI (DATABASE_URL) or with SCHEMATHESIS=1",
    ),
]

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "5"))
SEED = os.environ.get("SCHEMATHESIS_SEED", "20261129")
SCHEMATHESIS = Path(sys.executable).with_name("st")

CONFIG = """
[generation]
allow-x00 = false

# Chains of calls send valid data; invalid data is the other phases' work (with a pinned id, a
# chain's "invalid" variant of a call that has nothing else to break is a valid call).
[phases.stateful]
generation.mode = "positive"
checks.negative_data_rejection.enabled = false

[[operations]]
include-operation-id = "courses_api_quiz_attempt_create"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]
parameters = {{ "quiz_id" = "{quiz_id}" }}

[[operations]]
include-operation-id = "courses_api_my_evaluation_create"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]
parameters = {{ "course_id" = {course_id} }}

[[operations]]
include-operation-id = "courses_api_my_sync"
checks.negative_data_rejection.enabled = false

[[operations]]
include-operation-id-regex = "quiz_detail|quiz_draw_create|quiz_attempt_list"
parameters = {{ "quiz_id" = "{quiz_id}" }}

[[operations]]
include-operation-id-regex = "course_enrol|my_course_progress|my_evaluation$|course_offline"
parameters = {{ "course_id" = {course_id} }}

[[operations]]
include-operation-id = "courses_api_lesson_complete"
parameters = {{ "lesson_id" = {lesson_id} }}

[[operations]]
include-operation-id = "certificates_api_certificate_verify"
parameters = {{ "code" = "{code}" }}
"""


def test_the_api_gives_no_server_error_and_keeps_to_its_schema(live_server, tmp_path, capsys):
    if not SCHEMATHESIS.exists():
        pytest.skip("schemathesis is not installed (requirements-dev.txt)")
    template = certificate_template_ensure_default()
    learning = build_course(slug="skema", lessons=3, quiz_lessons=(1,), certificate_template=template)
    finished = build_course(slug="selesai", lessons=1, quiz_lessons=(), certificate_template=template)
    trainer = TrainerFactory(profile__full_name="Siti Rahayu")
    enrolment_create(trainer=trainer, course=learning.course)
    enrolment_create(trainer=trainer, course=finished.course)
    lesson_complete(trainer=trainer, lesson=learning.lessons[0])
    lesson_complete(trainer=trainer, lesson=finished.lessons[0])
    certificate = certificate_issue(trainer=trainer, course=finished.course.specific)
    _token, plaintext = APIToken.create_token(user=trainer, name="API: schemathesis")

    config = tmp_path / "schemathesis.toml"
    config.write_text(
        CONFIG.format(
            quiz_id=learning.quiz_ids[0],
            course_id=learning.course.pk,
            lesson_id=learning.lessons[2].pk,
            code=certificate.code,
        )
    )
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(config),
        "--no-color",
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        SEED,
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--header",
        f"Authorization: Bearer {plaintext}",
        "--exclude-operation-id",
        "courses_api_token_delete",
        "--exclude-operation-id",
        "courses_api_token_revoke",
    ]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    summary_at = output.rfind(" SUMMARY ")
    summary = output[output.rfind("\n", 0, summary_at) + 1 :] if summary_at >= 0 else output[-3000:]
    with capsys.disabled():
        print(
            f"\nschemathesis over /api/v1/openapi.json ({MAX_EXAMPLES} examples per operation, seed {SEED}):"
        )
        print(summary)
    assert result.returncode == 0, output[-20000:]
