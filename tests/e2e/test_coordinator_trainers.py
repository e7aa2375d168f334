"""A coordinator on a laptop: create a trainer, send the invitation (link and QR code), enrol a
cohort; the trainer then opens the invitation on a phone and sets a password."""

import re

import pytest
from django.core import mail

from courses.models import Enrolment
from tests.factories import PASSWORD, CoordinatorFactory, ServicePointFactory, TrainerFactory, build_course

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_creates_invites_and_enrols_a_cohort(live_server, browser, settings):
    settings.BASE_URL = live_server.url
    surabaya = ServicePointFactory(code="SP001", name="UPT BP2MI Surabaya")
    other = ServicePointFactory(code="SP002", name="UPT BP2MI Semarang")
    CoordinatorFactory(username="ratna", service_points=[surabaya])
    TrainerFactory(service_point=surabaya, profile__full_name="Budi Santoso")
    TrainerFactory(service_point=other, profile__full_name="Orang Lain")
    course = build_course(slug="angkatan", lessons=1).course

    laptop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    laptop.set_default_timeout(15_000)
    page = laptop.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("input[name=username]").fill("ratna")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    # The trainers list shows only the coordinator's service point.
    page.get_by_role("link", name="Pelatih", exact=True).first.click()
    page.wait_for_url(re.compile(r"/admin/trainers/$"))
    assert "Budi Santoso" in page.content()
    assert "Orang Lain" not in page.content()

    # Create a trainer: a bad phone first, then a good one.
    page.goto(f"{live_server.url}/admin/trainers/new/")
    page.locator("input[name=full_name]").fill("Siti Aminah")
    page.locator("input[name=email]").fill("Siti.Aminah@Example.org")
    page.locator("input[name=phone]").fill("12345")
    page.locator("select[name=service_point]").select_option(label="SP001 · UPT BP2MI Surabaya")
    page.locator("form [type=submit]").last.click()
    page.locator("text=Nomor telepon tidak valid").first.wait_for()
    page.locator("input[name=phone]").fill("0812 3456 7890")
    page.locator("form [type=submit]").last.click()

    # The invitation: a link and its QR code, and the same link by e-mail.
    page.locator(".coordinators-qr svg").wait_for()
    link = page.locator("#invitation-link").input_value()
    assert "/accounts/invitation/" in link
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti.aminah@example.org"]

    # Later, from the trainer's page: send the invitation again (a new link, the same rule).
    page.get_by_role("link", name="Ke halaman pelatih").click()
    page.get_by_role("link", name="Kirim undangan").click()
    page.get_by_role("button", name="Kirim undangan").click()
    page.locator(".coordinators-qr svg").wait_for()
    assert len(mail.outbox) == 2

    # Enrol the cohort of SP001: a confirmation with the count, then the enrolment.
    page.goto(f"{live_server.url}/admin/trainers/cohort/")
    page.locator("select[name=course]").select_option(label=course.title)
    page.get_by_label("SP001 · UPT BP2MI Surabaya").check()
    assert page.get_by_label("SP002 · UPT BP2MI Semarang").count() == 0
    page.get_by_role("button", name="Lanjut: periksa jumlah").click()
    assert "2 pelatih akan didaftarkan" in page.locator(".coordinators-count").inner_text()
    page.get_by_role("button", name="Ya, daftarkan").click()
    page.wait_for_url(re.compile(r"/admin/trainers/$"))
    assert "2 pelatih didaftarkan" in page.content()
    assert Enrolment.objects.filter(course=course).count() == 2
    laptop.close()

    # The trainer opens the link on a phone and sets a password, once.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="id-ID")
    phone.set_default_timeout(15_000)
    page = phone.new_page()
    page.goto(link)
    assert "siti.aminah" in page.content()
    page.locator("input[name=new_password1]").fill("Pelatih-Baru-2026!")
    page.locator("input[name=new_password2]").fill("Pelatih-Baru-2026!")
    page.get_by_role("button", name="Simpan kata sandi").click()
    page.wait_for_url(re.compile(r"/accounts/invitation/done/$"))
    page.goto(link)
    assert "tidak berlaku lagi" in page.content()
    phone.close()
