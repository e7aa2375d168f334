"""Roles around the coordinators' area: administrators set scopes, coordinators cannot edit pages,
editors see no trainers' data and issue no certificates, trainers have no admin; and the
invitation link works once and expires."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Page

from courses.people.invitations import invitation_make
from courses.people.roles import COORDINATORS_GROUP
from courses.people.scope import coordinator_scope
from courses.people.services import trainer_create
from tests.factories import (
    AdminFactory,
    CoordinatorFactory,
    EditorFactory,
    ServicePointFactory,
    TrainerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


# --- scopes edited by administrators ------------------------------------------------------------


def test_an_administrator_sets_a_provincial_scope_and_the_group_follows(client):
    east = ServicePointFactory(code="SP001", province="Jawa Timur")
    ServicePointFactory(code="SP002", province="Jawa Tengah")
    official = UserFactory(username="pejabat")
    client.force_login(AdminFactory())
    response = client.post(
        "/admin/coordinator-profiles/new/",
        {"user": official.pk, "provinces": ["Jawa Timur"]},
    )
    assert response.status_code == 302
    official = User.objects.get(pk=official.pk)
    assert official.groups.filter(name=COORDINATORS_GROUP).exists()
    assert coordinator_scope(official).service_point_ids == {east.pk}


def test_a_scope_needs_something(client):
    official = UserFactory()
    client.force_login(AdminFactory())
    response = client.post("/admin/coordinator-profiles/new/", {"user": official.pk})
    assert response.status_code == 200
    assert not official.groups.exists()


def test_a_coordinator_cannot_edit_scopes(client):
    point = ServicePointFactory()
    coordinator = CoordinatorFactory(service_points=[point])
    client.force_login(coordinator)
    profile = coordinator.coordinator_profile
    assert client.get("/admin/coordinator-profiles/").status_code in (302, 403)
    response = client.post(
        f"/admin/coordinator-profiles/edit/{profile.pk}/",
        {"user": coordinator.pk, "is_national": "on"},
    )
    assert response.status_code in (302, 403)
    profile.refresh_from_db()
    assert not profile.is_national


# --- permissions of the roles -------------------------------------------------------------------


def test_the_coordinators_group_has_no_page_permissions():
    group = Group.objects.get(name=COORDINATORS_GROUP)
    assert not GroupPagePermission.objects.filter(group=group).exists()


def test_a_coordinator_cannot_edit_or_add_pages(client, course):
    client.force_login(CoordinatorFactory(service_points=[ServicePointFactory()]))
    page = Page.objects.get(pk=course.pk)
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code in (302, 403)
    response = client.post(
        f"/admin/pages/{page.pk}/edit/", {"title": "Diubah koordinator", "slug": page.slug}
    )
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.title != "Diubah koordinator"
    assert not page.permissions_for_user(CoordinatorFactory()).can_edit()


@pytest.mark.parametrize("url", ["/admin/certificates/", "/admin/certificates/batches/"])
def test_an_editor_cannot_reach_certificate_issuing(client, url):
    client.force_login(EditorFactory())
    assert client.get(url).status_code in (302, 403, 404)


def test_an_editor_sees_no_people_menus(client):
    client.force_login(EditorFactory())
    content = client.get("/admin/").content.decode()
    for url in ("/admin/trainers/", "/admin/certificates/", "/admin/coordinator-profiles/"):
        assert url not in content


def test_a_trainer_cannot_open_the_admin(client):
    client.force_login(TrainerFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- the invitation link --------------------------------------------------------------------------


def _invited():
    user = trainer_create(
        full_name="Siti Aminah",
        email="siti@example.org",
        phone="",
        service_point=ServicePointFactory(),
        by=None,
    )
    return user, invitation_make(user=user)


def test_the_invitation_link_sets_a_password_once(client):
    user, invitation = _invited()
    response = client.get(invitation.path)
    assert response.status_code == 302  # Django moves the token out of the address
    form_url = response["Location"]
    page = client.get(form_url).content.decode()
    assert "siti" in page and "new_password1" in page
    response = client.post(
        form_url, {"new_password1": "Pelatih-Baru-2026!", "new_password2": "Pelatih-Baru-2026!"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/invitation/done/")
    user.refresh_from_db()
    assert user.check_password("Pelatih-Baru-2026!")
    client.logout()
    again = client.get(invitation.path, follow=True).content.decode()
    assert "tidak berlaku lagi" in again


def test_the_invitation_link_expires(client, settings):
    settings.TRAINER_INVITATION_DAYS = 7
    _user, invitation = _invited()
    later = datetime.now() + timedelta(days=7, hours=1)
    with mock.patch("courses.people.invitations.InvitationTokenGenerator._now", return_value=later):
        page = client.get(invitation.path, follow=True).content.decode()
    assert "tidak berlaku lagi" in page
    assert "new_password1" not in page


def test_a_password_reset_token_is_not_an_invitation(client):
    from django.contrib.auth.tokens import default_token_generator

    user, invitation = _invited()
    forged = invitation.path.rsplit("/", 2)[0] + "/" + default_token_generator.make_token(user) + "/"
    page = client.get(forged, follow=True).content.decode()
    assert "tidak berlaku lagi" in page
