"""Each group can do what its role needs and no more."""

import pytest
from wagtail.models import Page, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses.models import ModulePage
from tests.factories import AdminFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(course):
    return ModulePage.objects.child_of(course).first()


def edit_form(page, **fields):
    data = {"title": page.title, "slug": page.slug, "summary": page.summary, "comments": inline_formset([])}
    data.update(fields)
    return nested_form_data(data)


def test_editor_can_create_and_edit_but_not_publish(editor, course, module):
    permissions = module.permissions_for_user(editor)
    assert permissions.can_edit()
    assert permissions.can_add_subpage()
    assert not permissions.can_publish()
    assert not course.permissions_for_user(editor).can_publish_subpage()
    assert not PagePermissionPolicy().user_has_permission(editor, "publish")


def test_editor_pressing_publish_in_the_admin_does_not_publish(client, editor, module):
    client.force_login(editor)
    response = client.post(
        f"/admin/pages/{module.pk}/edit/",
        edit_form(module, title="Judul dari editor", **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    module.refresh_from_db()
    assert module.title != "Judul dari editor"
    assert module.has_unpublished_changes
    assert module.get_latest_revision_as_object().title == "Judul dari editor"


def test_editor_submission_goes_to_moderation(client, editor, module):
    client.force_login(editor)
    response = client.post(
        f"/admin/pages/{module.pk}/edit/", edit_form(module, title="Untuk ditinjau", **{"action-submit": "1"})
    )
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(module.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    module.refresh_from_db()
    assert module.title != "Untuk ditinjau"


def test_moderator_admin_can_publish(client, module):
    admin = AdminFactory()
    client.force_login(admin)
    response = client.post(
        f"/admin/pages/{module.pk}/edit/", edit_form(module, title="Diterbitkan", **{"action-publish": "1"})
    )
    assert response.status_code == 302
    module.refresh_from_db()
    assert module.title == "Diterbitkan"


def test_coordinator_cannot_edit_pages(client, coordinator, module):
    assert not module.permissions_for_user(coordinator).can_edit()
    assert not Page.get_first_root_node().permissions_for_user(coordinator).can_add_subpage()
    client.force_login(coordinator)
    assert client.get("/admin/").status_code == 200
    response = client.get(f"/admin/pages/{module.pk}/edit/")
    assert response.status_code in (302, 403)
    client.post(
        f"/admin/pages/{module.pk}/edit/", edit_form(module, title="Koordinator", **{"action-publish": "1"})
    )
    module.refresh_from_db()
    assert module.title != "Koordinator"
    assert not module.has_unpublished_changes


def test_trainer_cannot_enter_the_admin(client, trainer):
    client.force_login(trainer)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_service_points_are_managed_by_admins_not_editors(client, editor):
    client.force_login(editor)
    assert client.get("/admin/snippets/courses/servicepoint/").status_code in (302, 403)
    client.force_login(AdminFactory())
    response = client.get("/admin/snippets/courses/servicepoint/")
    assert response.status_code == 200


def test_service_point_listing_filters_by_province_and_kind_and_searches(client):
    from tests.factories import ServicePointFactory

    ServicePointFactory(
        code="X001", name="LTSA P2MI Kabupaten Cilacap", kind="ltsa", province="Jawa Tengah", city="Cilacap"
    )
    ServicePointFactory(
        code="X002", name="UPT BP2MI Kupang", kind="upt_bp2mi", province="Nusa Tenggara Timur", city="Kupang"
    )
    client.force_login(AdminFactory())
    url = "/admin/snippets/courses/servicepoint/"
    by_province = client.get(url, {"province": "Jawa Tengah"}).content.decode()
    assert "X001" in by_province and "X002" not in by_province
    by_kind = client.get(url, {"kind": "upt_bp2mi"}).content.decode()
    assert "X002" in by_kind and "X001" not in by_kind
    searched = client.get(url, {"q": "Kupang"}).content.decode()
    assert "X002" in searched and "X001" not in searched
