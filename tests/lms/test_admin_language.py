"""The admin speaks Indonesian where Wagtail's own Indonesian catalogue stops: the strings it
leaves in English come from lms/wagtail_locale (compiled by `make messages`)."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import AdminFactory, CoordinatorFactory, ServicePointFactory, TrainerFactory

pytestmark = pytest.mark.django_db


def page_text(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def assert_no_english(text, *words):
    for word in words:
        assert not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text), word


@pytest.fixture
def coordinator_client(client):
    point = ServicePointFactory(code="SP001")
    TrainerFactory(service_point=point, profile__full_name="Siti Rahmawati")
    client.force_login(CoordinatorFactory(service_points=[point]))
    return client


def test_the_catalogue_fills_the_gaps_of_wagtails_own():
    with translation.override("id"):
        assert translation.gettext("Help") == "Bantuan"
        assert translation.gettext("Search…") == "Cari…"
        assert translation.gettext("New: %(model_name)s") == "Baru: %(model_name)s"
        assert translation.gettext("Create") == "Buat"
        assert (
            translation.ngettext("Delete 1 page", "Delete %(counter)s pages", 3)
            == "Hapus %(counter)s halaman"
        )
        # Wagtail's own translations stay as they are, but for a few that read wrong.
        assert translation.gettext("Edit") == "Ubah"
        used = translation.ngettext("Used %(usage_count)s time", "Used %(usage_count)s times", 2)
        assert used == "Digunakan %(usage_count)s kali"
        assert translation.gettext("Password") == "Kata sandi"
    with translation.override("en"):
        assert translation.gettext("Help") == "Help"


def test_a_coordinators_dashboard_menu_and_guide_are_indonesian(coordinator_client):
    text = page_text(coordinator_client, reverse("wagtailadmin_home"))

    assert "Bantuan" in text  # the "Help" menu
    assert "Panduan editor Wagtail" in text
    assert "Pintasan papan ketik" in text
    assert_no_english(text, "Help", "Keyboard shortcuts", "editor guide")


def test_the_trainers_list_search_and_pagination_are_indonesian(coordinator_client):
    text = page_text(coordinator_client, reverse("trainers:index"))

    assert "Siti Rahmawati" in text
    assert 'placeholder="Cari…"' in text
    assert 'aria-label="Penomoran halaman"' in text
    assert_no_english(text, "Search…", "Pagination", "Help")


def test_a_snippet_listing_and_its_create_form_are_indonesian(client):
    client.force_login(AdminFactory())
    ServicePointFactory(code="SP009")

    listing = page_text(client, reverse("wagtailsnippets_courses_servicepoint:list"))
    assert "SP009" in listing
    assert "Tindakan massal" in listing
    assert "Pilih semua" in listing
    assert_no_english(listing, "Bulk actions", "Select all", "Search…")
    assert not re.search(r">\s*(True|False)\s*<", listing)  # "Aktif" is a tick or a cross

    point = ServicePointFactory(code="SP010", active=False)
    inspect = page_text(client, reverse("wagtailsnippets_courses_servicepoint:inspect", args=[point.pk]))
    assert re.search(r">\s*Tidak\s*<", inspect)
    assert not re.search(r">\s*(True|False)\s*<", inspect)

    # Wagtail's own reports menu is not a second "Laporan" beside the coordinators' reports.
    assert "Laporan situs" in page_text(client, reverse("wagtailadmin_home"))

    form = page_text(client, reverse("wagtailsnippets_courses_servicepoint:add"))
    assert "Baru:" in form
    assert_no_english(form, "New:")
