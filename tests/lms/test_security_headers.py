"""Security headers and privacy: a Content-Security-Policy without inline scripts on every response,
gzip for HTML and JSON, HSTS with preload as its own opt-in, the API docs from local files, the
admin without Gravatar or Wagtail's update check, and a favicon."""

import gzip
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.courses.test_settings import production_env, run
from tests.factories import AdminFactory, EnrolmentFactory, TrainerFactory, build_course

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.fixture
def built(db):
    return build_course(lessons=2, quiz_lessons=(1,))


@pytest.mark.django_db
def test_every_kind_of_response_carries_a_policy_that_runs_no_inline_script(client, built):
    admin = AdminFactory()
    responses = [
        client.get(built.lessons[0].url),
        client.get(reverse("certificates:verify")),
        client.get("/api/v1/courses"),
        client.get("/tidak-ada/"),
    ]
    client.force_login(admin)
    responses.append(client.get("/admin/"))
    for response in responses:
        directives = _directives(response)
        assert directives["default-src"] == ["'self'"]
        assert "'unsafe-inline'" not in directives["script-src"]
        assert "'unsafe-eval'" not in directives["script-src"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'self'"]
        assert directives["base-uri"] == ["'self'"]


@pytest.mark.django_db
def test_trainer_pages_hold_no_inline_script_or_event_handler(client, built):
    trainer = TrainerFactory()
    EnrolmentFactory(trainer=trainer, course=built.course)
    client.force_login(trainer)
    for url in [
        built.course.url,
        built.lessons[0].url,
        built.lessons[1].url,
        reverse("dashboard"),
        reverse("certificates:verify"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not INLINE_SCRIPT.findall(html), url
        assert not EVENT_HANDLER.findall(html), url


@pytest.mark.django_db
def test_html_and_json_are_gzip_compressed_for_a_browser_that_accepts_it(client, built):
    page = client.get(built.lessons[0].url, headers={"accept-encoding": "gzip, deflate, br"})
    assert page["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page["Vary"]
    html = gzip.decompress(page.content).decode()
    assert built.lessons[0].title in html
    assert len(page.content) < len(html.encode()) / 2

    client.force_login(TrainerFactory())
    api = client.get("/api/v1/courses", headers={"accept-encoding": "gzip"})
    assert api["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(api.content))

    plain = client.get(built.lessons[0].url)
    assert not plain.has_header("Content-Encoding")


@pytest.mark.django_db
def test_binary_responses_are_not_compressed_again(client):
    icon = client.get("/favicon.ico", headers={"accept-encoding": "gzip"})
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/x-icon"
    assert not icon.has_header("Content-Encoding")
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.django_db
def test_pages_link_the_favicon(client, built):
    html = client.get(built.lessons[0].url).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    client.force_login(AdminFactory())
    assert "/static/favicon.svg" in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_the_api_docs_load_swagger_ui_from_the_site_itself(client):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui.css" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)


@pytest.mark.django_db
def test_the_admin_shows_no_gravatar_and_does_not_check_for_wagtail_releases(client):
    admin = AdminFactory(email="admin@example.org")
    client.force_login(admin)
    html = client.get("/admin/").content.decode()
    assert "gravatar" not in html.lower()
    assert "upgrade-notification" not in html and "releases.wagtail" not in html
    assert "w-whats-new" not in html


def test_hsts_preload_is_its_own_opt_in_in_production(tmp_path):
    code = (
        "import django, json; from django.conf import settings; django.setup(); print(json.dumps(["
        "settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD]))"
    )
    env = production_env(tmp_path)
    del env["SECURE_HSTS_SECONDS"]
    env.pop("HSTS_PRELOAD", None)
    default = run(["-c", code], env)
    assert default.returncode == 0, default.stderr
    assert json.loads(default.stdout.splitlines()[-1]) == [31_536_000, True, False]

    preload = run(["-c", code], {**env, "HSTS_PRELOAD": "1"})
    assert json.loads(preload.stdout.splitlines()[-1]) == [31_536_000, True, True]

    off = run(["-c", code], {**env, "SECURE_HSTS_SECONDS": "0", "HSTS_PRELOAD": "1"})
    assert json.loads(off.stdout.splitlines()[-1]) == [0, False, False]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("preload", "expected"),
    [(False, "max-age=31536000; includeSubDomains"), (True, "max-age=31536000; includeSubDomains; preload")],
)
def test_the_hsts_header_says_preload_only_when_asked(settings, preload, expected):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = preload
    response = Client().get(reverse("certificates:verify"), secure=True)
    assert response["Strict-Transport-Security"] == expected
