"""Chromium with the site's Content-Security-Policy on: trainer pages, the verification page, the API
docs, the admin's edit pages and the coordinators' reports run without a single refused script or
style, the admin's date pickers and choosers still work, and no page asks another host for anything
(no Gravatar, no Wagtail update check, no CDN)."""

import pytest

from tests.e2e.journey import sign_in_admin
from tests.factories import (
    PASSWORD,
    AdminFactory,
    CoordinatorFactory,
    EnrolmentFactory,
    ServicePointFactory,
    TrainerFactory,
    build_course,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Reports every refusal of the policy to the console, where the test collects it.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.log("CSP violation: " + event.violatedDirective + " " + event.blockedURI + " "
    + (event.sample || "") + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""


class Watch:
    """Refused content and requests to other hosts, over every page a browser context opens."""

    def __init__(self, page, origin: str):
        self.violations: list[str] = []
        self.outside: list[str] = []
        page.context.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)
        page.context.on("request", self._request)
        self.origin = origin

    def _console(self, message) -> None:
        if "CSP violation" in message.text or "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def _request(self, request) -> None:
        if not request.url.startswith((self.origin, "data:", "blob:")):
            self.outside.append(request.url)

    def visit(self, page, url: str) -> None:
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        assert response.status < 400, (url, response.status)

    def assert_clean(self) -> None:
        assert self.violations == []
        assert self.outside == []


def test_trainer_pages_verification_and_api_docs_run_under_the_policy(live_server, phone):
    built = build_course(lessons=2, quiz_lessons=(1,))
    trainer = TrainerFactory(username="pelatih-csp")
    EnrolmentFactory(trainer=trainer, course=built.course)
    page = phone
    watch = Watch(page, live_server.url)

    watch.visit(page, f"{live_server.url}/certificates/verify/")
    watch.visit(page, f"{live_server.url}/api/v1/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()  # Swagger UI ran and drew the operations

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("pelatih-csp")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state("networkidle")
    for url in [built.course.url, built.lessons[0].url, built.lessons[1].url, "/dashboard/"]:
        watch.visit(page, f"{live_server.url}{url}")
    watch.assert_clean()


def test_admin_edit_pages_and_reports_run_under_the_policy_and_call_no_other_host(live_server, laptop):
    from certificates.services.templates import certificate_template_ensure_default

    built = build_course(lessons=2, quiz_lessons=(1,))
    template = certificate_template_ensure_default()
    AdminFactory(username="admin-csp", email="admin-csp@example.org")
    page = laptop
    watch = Watch(page, live_server.url)
    sign_in_admin(page, live_server.url, "admin-csp")

    watch.visit(page, f"{live_server.url}/admin/")
    watch.visit(page, f"{live_server.url}/admin/pages/{built.lessons[1].pk}/edit/")
    watch.visit(page, f"{live_server.url}/admin/pages/{built.course.pk}/edit/")

    # A chooser started from its data attributes: its button opens the image chooser.
    watch.visit(
        page, f"{live_server.url}/admin/snippets/certificates/certificatetemplate/edit/{template.pk}/"
    )
    page.locator("#id_background_image-chooser [data-chooser-action-choose]").first.click()
    page.locator(".modal-content").get_by_role("heading").first.wait_for()

    # A date picker (the report's date filter) started from its data attributes: the picker exists.
    watch.visit(page, f"{live_server.url}/admin/reports/aging-pages/")
    page.locator(".xdsoft_datetimepicker").first.wait_for(state="attached")
    watch.assert_clean()


def test_coordinator_reports_run_under_the_policy(live_server, laptop):
    point = ServicePointFactory(code="SP001")
    build_course(lessons=2, quiz_lessons=(1,))
    CoordinatorFactory(username="koor-csp", service_points=[point])
    page = laptop
    watch = Watch(page, live_server.url)
    sign_in_admin(page, live_server.url, "koor-csp")
    for report in ["titik-layanan", "kursus", "aktivitas"]:
        watch.visit(page, f"{live_server.url}/admin/laporan/{report}/")
    watch.assert_clean()


def test_the_moderation_workflow_editor_adds_a_task_under_the_policy(live_server, laptop):
    """The workflow editor's task list is an inline panel and each task a chooser: both start from
    data attributes, so adding a task and opening its chooser works with no inline script."""
    AdminFactory(username="admin-alur", email="admin-alur@example.org")
    page = laptop
    watch = Watch(page, live_server.url)
    sign_in_admin(page, live_server.url, "admin-alur")

    watch.visit(page, f"{live_server.url}/admin/workflows/add/")
    total = page.locator("#id_workflow_tasks-TOTAL_FORMS")
    before = int(total.input_value())
    page.locator("#id_workflow_tasks-ADD").click()
    added = page.locator(f"#inline_child_workflow_tasks-{before}")
    added.wait_for()
    assert int(total.input_value()) == before + 1
    added.locator("[data-chooser-action-choose]").first.click()
    page.locator(".modal-content").get_by_role("heading").first.wait_for()
    watch.assert_clean()
