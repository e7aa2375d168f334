"""Offline learning on a phone: save a course, learn without a connection, sync when it returns,
and leave nothing behind on a shared phone after signing out."""

import os
import re

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import APIToken

from courses import services
from courses.models import LessonProgress, QuizAttempt, SyncEvent
from courses.offline.devices import offline_user_key
from tests.factories import PASSWORD, ImageFactory, TrainerFactory, build_course

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAVE = "Simpan untuk dibaca offline"


def _shot(page, name: str) -> None:
    if os.environ.get("E2E_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['E2E_SCREENSHOTS']}/offline-{name}.png", full_page=True)


def _sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Nama pengguna atau e-mail").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))


def _save_course(page, course_url: str) -> str:
    """Save the course from its page; answers the size that was announced before downloading."""
    # The page signed in on registered the service worker: once it is active, it controls every
    # page opened after it.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto(course_url)
    box = page.locator("[data-offline-save]")
    box.get_by_role("button", name=SAVE).click()
    status = box.locator("[data-role=save-status]")
    page.wait_for_function("el => el.textContent.startsWith('Ukuran unduhan')", arg=status.element_handle())
    announced = status.inner_text()
    box.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_function(
        "el => el.textContent.startsWith('Tersimpan untuk dibaca offline')",
        arg=status.element_handle(),
        timeout=60_000,
    )
    # The service worker controls the page from now on (clients.claim on activation).
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    return announced


def _indicator(page) -> str:
    return page.locator("#offline-ui [data-role=status]").inner_text()


def _wait_indicator(page, says: str) -> None:
    """The indicator is filled in by the script once it has read the device's storage."""
    page.locator("#offline-ui [data-role=status]", has_text=says).wait_for()


def _storage(page) -> dict:
    return page.evaluate(
        """async () => ({
            caches: await caches.keys(),
            databases: (await indexedDB.databases()).map(db => db.name),
        })"""
    )


def _document(title: str) -> object:
    document = get_document_model()(title=title)
    document.file.save(f"{title}.pdf", ContentFile(b"%PDF-1.4\n% offline handout\n"), save=True)
    return document


def test_a_trainer_learns_offline_syncs_and_the_next_trainer_finds_nothing(live_server, phone):
    built = build_course(slug="luring", lessons=2, quiz_lessons=(1,), image=ImageFactory())
    first, quiz_lesson = built.lessons
    quiz_id = built.quiz_ids[0]
    handout = _document("lembar-kerja")
    first.body.append(
        ("document", {"document": handout, "title": "Lembar kerja", "description": "", "offline": True})
    )
    first.save_revision().publish()
    rina = TrainerFactory(username="rina")
    TrainerFactory(username="budi")
    services.enrolment_create(trainer=rina, course=built.course)
    page = phone
    context = page.context
    base = live_server.url

    _sign_in(page, base, "rina")
    announced = _save_course(page, base + built.course.url)
    assert re.match(r"Ukuran unduhan ± \d+ KB \(\d+ berkas\)", announced)
    saved = _storage(page)
    assert len(saved["caches"]) == 1
    _shot(page, "online-saved")

    # No signal: the saved lesson opens, with its image and its document.
    context.set_offline(True)
    page.goto(base + first.url)
    assert page.locator("h1").inner_text() == first.title
    assert page.locator(".block-image img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.evaluate(f"fetch('{handout.url}').then(r => r.ok)")
    _wait_indicator(page, "Anda sedang offline")

    # Mark it done: queued on the phone.
    page.get_by_role("button", name="Tandai selesai").click()
    page.locator(".offline-queued").wait_for()
    _wait_indicator(page, "1 perubahan menunggu dikirim")

    # Answer the quiz: queued, with the promise of a score once online.
    page.goto(base + quiz_lesson.url)
    quiz = page.locator(f"#quiz-{quiz_id}")
    quiz.locator(f'input[value="{quiz_id}-q1-a"]').check()
    quiz.locator(f'input[value="{quiz_id}-q2-a"]').check()
    quiz.locator(f'input[value="{quiz_id}-q2-c"]').check()
    quiz.get_by_role("button", name="Kirim jawaban").click()
    assert "akan dinilai saat ponsel kembali online" in quiz.locator(".offline-queued").inner_text()
    _wait_indicator(page, "2 perubahan menunggu dikirim")

    # A reload without signal: the queue is still there, and so is the quiz's state.
    page.reload()
    page.locator(f"#quiz-{quiz_id} .offline-queued").wait_for()
    _wait_indicator(page, "2 perubahan menunggu dikirim")
    _shot(page, "offline-queued")
    assert not LessonProgress.objects.exists()
    assert not QuizAttempt.objects.exists()

    # A page that is not saved: the offline page, listing what is.
    page.goto(base + "/dashboard/")
    assert page.locator("h1").inner_text() == "Anda sedang offline"
    page.locator("#offline-saved a", has_text=built.course.title).wait_for()
    _shot(page, "offline-page")

    # Signal again: the queue is sent, once, and the score is shown.
    page.goto(base + quiz_lesson.url)
    context.set_offline(False)
    _wait_indicator(page, "Semua perubahan sudah terkirim")
    assert "Kuis “Kuis 2” sudah dinilai: 100" in page.locator("#offline-ui [data-role=notes]").inner_text()
    assert LessonProgress.objects.filter(enrolment__trainer=rina, lesson=first).count() == 1
    attempt = QuizAttempt.objects.get(enrolment__trainer=rina, quiz_id=quiz_id)
    assert attempt.score == 100
    assert SyncEvent.objects.filter(trainer=rina).count() == 2

    page.goto(base + "/dashboard/")
    card = page.locator(".course-list .card").first
    assert "1 dari 2 pelajaran" in card.inner_text()
    assert "1 dari 1 kuis lulus" in card.inner_text()
    _wait_indicator(page, "Semua perubahan sudah terkirim")
    _shot(page, "synced")

    # Signing out leaves nothing of Rina's on the phone, and her device token is revoked.
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(base + "/")
    assert _storage(page) == {"caches": [], "databases": []}
    assert not APIToken.objects.filter(user=rina, revoked_at__isnull=True).exists()

    # Budi signs in on the same phone: none of Rina's pages, even offline.
    _sign_in(page, base, "budi")
    storage = _storage(page)
    rinas = f"tot-offline-{offline_user_key(user=rina)}"
    assert storage["caches"] == []
    assert rinas not in storage["databases"]
    context.set_offline(True)
    with pytest.raises(Exception, match="net::ERR_"):
        page.goto(base + first.url)
    context.set_offline(False)


def test_a_saved_course_changed_by_an_editor_is_refreshed_on_the_next_visit_online(live_server, phone):
    built = build_course(slug="berubah", lessons=2, quiz_lessons=())
    for lesson in built.lessons:
        lesson.save_revision().publish()
    lesson = built.lessons[1]
    TrainerFactory(username="rina")
    page = phone
    base = live_server.url
    _sign_in(page, base, "rina")
    _save_course(page, base + built.course.url)

    # An editor publishes a new version of the second lesson, which the trainer has not opened.
    lesson.refresh_from_db()
    lesson.body = [("rich_text", "<p>Isi baru dari editor.</p>")]
    lesson.save_revision().publish()

    page.goto(base + "/dashboard/")
    page.locator("#offline-ui [data-role=notes]", has_text="diperbarui oleh editor").wait_for()

    page.context.set_offline(True)
    page.goto(base + lesson.url)
    assert "Isi baru dari editor." in page.locator(".lesson-body").inner_text()
    page.context.set_offline(False)


def test_two_tabs_sending_the_same_queue_apply_each_event_once(live_server, browser):
    built = build_course(slug="dua-tab", lessons=2, quiz_lessons=())
    rina = TrainerFactory(username="rina")
    services.enrolment_create(trainer=rina, course=built.course)
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844})
    base = live_server.url
    first = context.new_page()
    _sign_in(first, base, "rina")
    _save_course(first, base + built.course.url)
    second = context.new_page()
    second.goto(base + built.course.url)
    second.wait_for_function("navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    for lesson in built.lessons:
        first.goto(base + lesson.url)
        first.get_by_role("button", name="Tandai selesai").click()
        first.locator(".offline-queued").wait_for()
    second.goto(base + built.lessons[0].url)
    _wait_indicator(second, "2 perubahan menunggu dikirim")

    # Both tabs see the connection return and send at once; and then send the same events again
    # by hand, as a tab whose answer was lost would.
    queued = first.evaluate("TOT.queue(document.getElementById('offline-ui').dataset.user)")
    context.set_offline(False)
    for tab in (first, second):
        _wait_indicator(tab, "Semua perubahan sudah terkirim")
    token = first.evaluate(
        "TOT.get(TOT.storage(document.getElementById('offline-ui').dataset.user), 'kv', 'token')"
    )
    replay = first.evaluate(
        """([events, token]) => fetch('/api/v1/me/sync', {
            method: 'POST', headers: {'Content-Type': 'application/json', Authorization: 'Bearer ' + token},
            body: JSON.stringify({events: events.map(e => ({id: e.id, type: e.type, at: e.at, lesson_id: e.lesson_id}))}),
        }).then(r => r.json())""",
        [queued, token],
    )
    assert replay["duplicate"] == 2 and replay["applied"] == 0
    assert LessonProgress.objects.filter(enrolment__trainer=rina).count() == 2
    assert SyncEvent.objects.filter(trainer=rina).count() == 2
    context.close()
