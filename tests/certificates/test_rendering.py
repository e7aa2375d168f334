import dataclasses
import io
import logging
import os
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pikepdf
import pytest
from pypdf import PdfReader

from certificates import rendering
from courses.people.names import SCRIPT_RANGES, person_name_character_allowed
from tests.certificates import threaded_render
from tests.certificates.helpers import pdf_png, pdf_text, pdf_words, qr_texts
from tests.courses.name_samples import LONGEST, NAMES

ROOT = Path(__file__).resolve().parents[2]

SHARED = rendering.SharedLayer(
    key="test-shared",
    page=rendering.PageSpec("A4", "landscape", 297, 210),
    title="SERTIFIKAT",
    subtitle="Pelatihan untuk Pelatih (TOT) Purna PMI",
    issuer="BP2MI dan Manajemen Pelaksana Program Kartu Prakerja",
    preamble="diberikan kepada",
    place="Jakarta",
    body="telah menyelesaikan pelatihan {course} ({hours} jam pelajaran) di {service_point} pada {date}.",
    signatories=({"name": "Dra. Ratna Kusumawardani", "title": "Kepala Pusat Pelatihan", "signature": ""},),
)


def fields(i: int, *, point: str = "UPT BP2MI Surabaya") -> rendering.CertificateFields:
    code = ["7K3Q-9X2M-4HPA-TR5W-H", "0000-0000-0000-0001-V", "ZZZZ-ZZZZ-ZZZZ-ZZZZ-M"][i % 3]
    return rendering.CertificateFields(
        holder_name=f"Rahmawati Putri Nomor {i}",
        course_title="Pendampingan Pendaftaran Kartu Prakerja",
        hours="12",
        service_point=point,
        date="5 Juni 2021",
        serial=f"TOT/2021/SP042/{i:05d}",
        code=code,
        verify_url=f"http://testserver/certificates/verify/{code}/",
    )


def test_indonesian_dates_and_hours():
    assert rendering.date_indonesian(date(2021, 6, 5)) == "5 Juni 2021"
    # 20:00 UTC on 4 June is already 5 June in Jakarta
    assert rendering.date_indonesian(datetime(2021, 6, 4, 20, 0, tzinfo=ZoneInfo("UTC"))) == "5 Juni 2021"
    assert rendering.hours_indonesian(Decimal("12.0")) == "12"
    assert rendering.hours_indonesian(Decimal("1.5")) == "1,5"


def test_one_call_rendering_prints_holder_course_serial_and_code():
    data = rendering.certificate_pdf_render(shared=SHARED, fields=fields(0))
    text = " ".join(pdf_text(data).split())
    assert "SERTIFIKAT" in text.replace(" ", "")
    for expected in (
        "Rahmawati Putri Nomor 0",
        "Pendampingan Pendaftaran Kartu Prakerja",
        "TOT/2021/SP042/00000",
        "7K3Q-9X2M-4HPA-TR5W-H",
        "5 Juni 2021",
        "UPT BP2MI Surabaya",
        "Dra. Ratna Kusumawardani",
    ):
        assert expected in text
    assert len(data) <= 50 * 1024
    assert qr_texts(data) == ["http://testserver/certificates/verify/7K3Q-9X2M-4HPA-TR5W-H/"]


def test_batch_path_gives_separate_valid_pdfs_identical_in_content_to_one_call():
    items = [fields(i, point="UPT BP2MI Surabaya" if i < 3 else "LTSA Lombok Timur") for i in range(5)]
    outputs = rendering.certificate_pdfs_render_batch(shared=SHARED, fields_list=items)
    assert len(outputs) == 5
    for item, data in zip(items, outputs, strict=True):
        assert data.startswith(b"%PDF-")
        assert len(data) <= 50 * 1024
        assert len(PdfReader(io.BytesIO(data)).pages) == 1
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pdf.check_pdf_syntax() if hasattr(pdf, "check_pdf_syntax") else pdf.check()
        reference = rendering.certificate_pdf_render(shared=SHARED, fields=item)
        assert pdf_text(data) == pdf_text(reference)
        assert qr_texts(data) == [item.verify_url]
        # another trainer's name never leaks into a PDF through shared resources
        others = [other.holder_name for other in items if other is not item]
        assert not any(name in pdf_text(data) for name in others)


@pytest.mark.parametrize("path", ["one call", "batch"])
def test_the_verification_code_is_printed_at_least_9_pt_high(path):
    item = fields(0)
    if path == "batch":
        data = rendering.certificate_pdfs_render_batch(shared=SHARED, fields_list=[item])[0]
    else:
        data = rendering.certificate_pdf_render(shared=SHARED, fields=item)
    code_words = [word for word in pdf_words(data) if word.text == item.code]
    assert len(code_words) == 1
    assert code_words[0].y_max - code_words[0].y_min >= 9


def test_batch_and_one_call_look_the_same():
    item = fields(1)
    fast = pdf_png(rendering.certificate_pdfs_render_batch(shared=SHARED, fields_list=[item])[0], dpi=40)
    slow = pdf_png(rendering.certificate_pdf_render(shared=SHARED, fields=item), dpi=40)
    assert fast.size == slow.size
    differing = sum(
        1
        for a, b in zip(fast.getdata(), slow.getdata(), strict=True)
        if max(abs(x - y) for x, y in zip(a, b, strict=True)) > 48
    )
    assert differing / (fast.size[0] * fast.size[1]) < 0.002


@pytest.mark.parametrize("available", [True, False])
def test_harfbuzz_check_warns_but_never_raises(monkeypatch, caplog, available):
    monkeypatch.setattr(rendering, "harfbuzz_subset_available", lambda: available)
    assert rendering.harfbuzz_subset_check() is available
    assert ("libharfbuzz-subset0" in caplog.text) is (not available)


@pytest.mark.parametrize("available", [True, False])
def test_the_system_check_warns_when_harfbuzz_subsetting_is_missing(monkeypatch, available):
    # Whether this machine has it is for `make system-deps` and `manage.py check` to say.
    from certificates.apps import harfbuzz_subset_system_check

    monkeypatch.setattr(rendering, "harfbuzz_subset_available", lambda: available)
    ids = [message.id for message in harfbuzz_subset_system_check()]
    assert ids == ([] if available else ["certificates.W001"])


def test_rendering_from_eight_threads_at_once_finishes_and_the_process_exits():
    # In a process of its own with a timeout: a hang in Pango fails this test instead of the suite.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.test"}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tests.certificates.threaded_render"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("rendering from 8 threads did not finish within 120 s (a thread hung)")
    assert result.returncode == 0, result.stderr[-3000:]
    expected = threaded_render.THREADS * threaded_render.ROUNDS * 4
    assert result.stdout.strip().splitlines()[-1] == f"pdfs={expected} errors=[]"
    # Pango and GLib report the corruption of a shared font map on stderr before they hang or crash
    for symptom in ("CRITICAL", "corrupted", "GLib-WARNING", "Pango-WARNING"):
        assert symptom not in result.stderr, result.stderr[-3000:]


# --- Every accepted name, whole, inside its box, with real glyphs ---------------------------------

MM = 72 / 25.4
NAME_BOX = (  # points from the top left of an A4 landscape page
    rendering.NAME_BOX_SIDE * MM,
    rendering.NAME_BOX_TOP * MM,
    (297 - rendering.NAME_BOX_SIDE) * MM,
    rendering.NAME_BOX_BOTTOM * MM,
)
SCRIPT_FONTS = {
    "javanese": "Noto-Sans-Javanese",
    "arabic": "Noto-Naskh-Arabic",
    "balinese": "Noto-Sans-Balinese",
    "sundanese": "Noto-Sans-Sundanese",
}


def _render(path: str, name: str) -> bytes:
    item = dataclasses.replace(fields(0), holder_name=name)
    if path == "batch":
        return rendering.certificate_pdfs_render_batch(shared=SHARED, fields_list=[item, fields(1)])[0]
    return rendering.certificate_pdf_render(shared=SHARED, fields=item)


def _name_words(data: bytes):
    # between "diberikan kepada" (above 74.5 mm) and the body (from 100 mm)
    return [word for word in pdf_words(data) if 74.5 * MM < (word.y_min + word.y_max) / 2 < 99.5 * MM]


def _pdf_fonts(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run(["pdffonts", handle.name], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def notdef_warnings(caplog):
    """WeasyPrint's warnings that it drew a .notdef box for a character no font has."""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        yield lambda: [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()]


@pytest.mark.parametrize("path", ["one call", "batch"])
@pytest.mark.parametrize("name", list(LONGEST.values()), ids=list(LONGEST))
def test_the_longest_and_widest_accepted_names_print_whole_inside_the_name_box(path, name, notdef_warnings):
    data = _render(path, name)
    words = _name_words(data)
    left, top, right, bottom = NAME_BOX
    for word in words:
        assert left - 0.5 <= word.x_min and word.x_max <= right + 0.5, word
        assert top - 0.5 <= word.y_min and word.y_max <= bottom + 0.5, word
    # every character is there (Arabic comes out right to left, Javanese in clusters: compare as sets)
    printed = Counter("".join(word.text for word in words))
    assert printed == Counter(name.replace(" ", ""))
    assert notdef_warnings() == []
    layout = rendering.name_layout(name, page_width_mm=297)
    assert layout.lines <= 2 and layout.size >= 6
    assert len(data) <= 50 * 1024


@pytest.mark.parametrize("script", list(SCRIPT_FONTS))
def test_names_in_indonesian_scripts_print_with_their_noto_face_not_boxes(script, notdef_warnings):
    data = _render("one call", NAMES[script])
    assert SCRIPT_FONTS[script] in _pdf_fonts(data)
    assert notdef_warnings() == []


def test_a_character_without_a_glyph_would_be_caught(notdef_warnings):
    # the check above can fail: a private-use character has no glyph in any installed font
    rendering.certificate_pdf_render(
        shared=SHARED, fields=dataclasses.replace(fields(0), holder_name="Budi \ue000")
    )
    assert notdef_warnings()


def test_a_short_name_keeps_the_large_size_on_one_line():
    layout = rendering.name_layout("Siti Rahmawati", page_width_mm=297)
    assert (layout.size, layout.lines) == (30, 1)


def test_every_character_a_name_may_have_has_a_glyph_in_the_name_fonts():
    faces = rendering._name_faces()
    missing = []
    for first, last, _ in SCRIPT_RANGES:
        for code in range(first, last + 1):
            char = chr(code)
            if person_name_character_allowed(char) and rendering._char_face(char, faces) is None:
                missing.append(f"U+{code:04X}")
    assert missing == []
