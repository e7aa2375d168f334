"""Every lesson and guide block renders; quizzes never leak answers; images are phone-friendly."""

import pytest
import wagtail_factories
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from courses.blocks import AgendaStepBlock, HandoutBlock, LessonStreamBlock, QuestionBlock
from courses.models import FacilitatorGuidePage

STREAM = LessonStreamBlock()
VIDEO_URL = "https://www.youtube.com/watch?v=uji-video-01"


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def render(block_type: str, raw) -> str:
    block = STREAM.child_blocks[block_type]
    return block.render(block.to_python(raw))


def quiz_raw(questions: list[dict]) -> dict:
    return {
        "title": "Kuis modul",
        "intro": "Jawab semuanya.",
        "pass_mark": None,
        "max_attempts": None,
        "questions": questions,
    }


def question_raw(text: str, kind: str, choices: list[tuple[str, bool]], explanation: str = "") -> dict:
    return {
        "text": text,
        "kind": kind,
        "choices": [{"text": choice, "correct": correct} for choice, correct in choices],
        "explanation": explanation,
    }


def test_rich_text_block_renders_its_html():
    html = render("rich_text", "<h2>Judul</h2><p>Isi <b>tebal</b>.</p>")
    assert '<div class="block-text">' in html
    assert "<b>tebal</b>" in html


@pytest.mark.django_db
def test_image_block_serves_webp_renditions_in_a_srcset_lazily_with_alt_text():
    image = wagtail_factories.ImageFactory(file__width=1600, file__height=900)
    html = render(
        "image", {"image": image.pk, "alt_text": "Petugas membantu peserta", "caption": "Di konter"}
    )
    assert 'alt="Petugas membantu peserta"' in html
    assert 'loading="lazy"' in html
    assert 'decoding="async"' in html
    assert "srcset=" in html and 'sizes="' in html
    assert html.count(".webp") >= 3
    for width in ("360w", "720w", "1080w"):
        assert width in html
    assert 'width="' in html and 'height="' in html
    assert "<figcaption>Di konter</figcaption>" in html


def test_image_block_requires_alt_text():
    block = STREAM.child_blocks["image"]
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"image": None, "alt_text": "", "caption": ""}))


@pytest.mark.django_db
def test_video_block_shows_cost_and_loads_the_embed_only_on_demand():
    Embed.objects.create(
        hash=get_embed_hash(VIDEO_URL),
        url=VIDEO_URL,
        type="video",
        html='<iframe src="https://www.youtube-nocookie.com/embed/uji" width="560" height="315"></iframe>',
        width=560,
        height=315,
    )
    html = render(
        "video",
        {"video": VIDEO_URL, "title": "Cara mendaftar", "duration_minutes": 6, "approx_size_mb": "18.5"},
    )
    assert "Cara mendaftar" in html
    assert "6 menit" in html
    assert "18.5 MB" in html or "18,5 MB" in html
    assert "<details" in html and "<details open" not in html
    # A lazy iframe inside a closed <details> is not fetched until it is opened.
    assert '<iframe loading="lazy"' in html
    assert html.index("<details") < html.index("<iframe")
    assert VIDEO_URL in html


@pytest.mark.django_db
def test_video_block_without_a_usable_embed_still_links_to_the_video():
    html = render(
        "video",
        {
            "video": "https://video.example.org/v/1",
            "title": "Video luar",
            "duration_minutes": None,
            "approx_size_mb": None,
        },
    )
    assert "<iframe" not in html
    assert 'href="https://video.example.org/v/1"' in html


@pytest.mark.django_db
def test_document_block_shows_title_type_and_size():
    document = wagtail_factories.DocumentFactory(
        title="Lembar periksa", file__filename="lembar.pdf", file__data=b"x" * 2048
    )
    document.file_size = document.file.size
    document.save()
    html = render("document", {"document": document.pk, "title": "", "description": "Untuk dicetak."})
    assert "Lembar periksa" in html
    assert "PDF" in html
    assert "2,0\xa0KB" in html or "2.0\xa0KB" in html
    assert f'href="{document.url}"' in html
    assert "Untuk dicetak." in html


@pytest.mark.parametrize(
    ("kind", "label", "css"),
    [
        ("tip", "Tips", "callout-tip"),
        ("warning", "Peringatan", "callout-warning"),
        ("facilitator", "Catatan fasilitator", "callout-facilitator"),
    ],
)
def test_callout_block_has_a_style_and_label_per_kind(kind, label, css):
    html = render("callout", {"kind": kind, "title": "Judul kotak", "text": "<p>Isi kotak.</p>"})
    assert css in html
    assert label in html
    assert "Judul kotak" in html and "Isi kotak." in html


def test_callout_title_is_escaped():
    html = render("callout", {"kind": "tip", "title": "<script>alert(1)</script>", "text": "<p>x</p>"})
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_checklist_block_lists_its_items():
    html = render("checklist", {"title": "Sebelum pulang", "items": ["KTP dibawa", "E-mail aktif"]})
    assert "Sebelum pulang" in html
    assert html.count("<li>") == 2


def test_quiz_block_shows_questions_and_choices_but_never_the_answers():
    html = render(
        "quiz",
        quiz_raw(
            [
                question_raw(
                    "Siapa yang mengisi OTP?",
                    "single",
                    [("Peserta", True), ("Pendamping", False)],
                    "RAHASIA-1",
                ),
                question_raw(
                    "Data yang dicocokkan?",
                    "multiple",
                    [("NIK", True), ("KK", True), ("Hobi", False)],
                    "RAHASIA-2",
                ),
            ]
        ),
    )
    assert "Siapa yang mengisi OTP?" in html and "Data yang dicocokkan?" in html
    for choice in ("Peserta", "Pendamping", "NIK", "KK", "Hobi"):
        # Right and wrong choices are marked up identically.
        assert f"<li>{choice}</li>" in html
    assert "RAHASIA" not in html
    for marker in ("correct", "checked", "✓", "jawaban benar:"):
        assert marker not in html.lower()


def test_single_answer_question_needs_exactly_one_correct_choice():
    block = QuestionBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python(question_raw("?", "single", [("A", False), ("B", False)])))
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python(question_raw("?", "single", [("A", True), ("B", True)])))
    assert block.clean(block.to_python(question_raw("?", "single", [("A", True), ("B", False)])))


def test_multiple_answer_question_needs_at_least_one_correct_choice():
    block = QuestionBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python(question_raw("?", "multiple", [("A", False), ("B", False)])))
    assert block.clean(block.to_python(question_raw("?", "multiple", [("A", True), ("B", True)])))


def test_agenda_step_and_material_blocks_render():
    step = AgendaStepBlock()
    html = step.render(
        step.to_python({"minutes": 15, "activity": "Pembukaan", "method": "Diskusi", "materials": "Plano"})
    )
    assert "Pembukaan" in html and "15 menit" in html and "Diskusi" in html and "Plano" in html
    materials = FacilitatorGuidePage._meta.get_field("materials").stream_block.child_blocks["item"]
    assert materials.render("Ponsel contoh") == '<li class="material">Ponsel contoh</li>\n'


@pytest.mark.django_db
def test_handout_block_uses_the_document_template():
    document = wagtail_factories.DocumentFactory(title="Kamus istilah", file__filename="kamus.pdf")
    block = HandoutBlock()
    html = block.render(block.to_python({"document": document.pk, "title": "", "description": ""}))
    assert "Kamus istilah" in html and "block-doc" in html


def test_every_lesson_block_type_has_a_template():
    for name, block in STREAM.child_blocks.items():
        assert block.meta.template, name
