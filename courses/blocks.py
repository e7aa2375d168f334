"""StreamField blocks for lessons and facilitator guides."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Gambar"))
    alt_text = blocks.CharBlock(
        label=_("Teks alternatif"),
        max_length=250,
        help_text=_("Jelaskan isi gambar untuk pembaca layar dan saat gambar tidak dimuat."),
    )
    caption = blocks.CharBlock(label=_("Keterangan"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "courses/blocks/image.html"
        label = _("Gambar")
        description = _("Gambar dengan teks alternatif; dikirim dalam ukuran yang pas untuk layar ponsel.")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Tautan video"), help_text=_("Misalnya tautan YouTube atau Vimeo."))
    title = blocks.CharBlock(label=_("Judul video"), max_length=200)
    duration_minutes = blocks.IntegerBlock(label=_("Durasi (menit)"), required=False, min_value=0)
    approx_size_mb = blocks.DecimalBlock(
        label=_("Perkiraan ukuran data (MB)"),
        required=False,
        min_value=0,
        decimal_places=1,
        help_text=_("Ditampilkan kepada pelatih agar mereka tahu biaya kuota sebelum menonton."),
    )

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        label = _("Video")
        description = _("Video dari layanan luar; dimuat hanya bila pelatih memintanya.")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Dokumen"))
    title = blocks.CharBlock(label=_("Judul"), required=False, max_length=200)
    description = blocks.TextBlock(label=_("Keterangan"), required=False)

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/document.html"
        label = _("Unduhan dokumen")
        description = _("Tautan unduhan dokumen beserta ukurannya.")


class LessonDocumentBlock(DocumentBlock):
    """A document in a lesson; one marked for offline goes with the lesson when a trainer saves the
    course on the phone (a handout of a facilitator guide has no such choice)."""

    offline = blocks.BooleanBlock(
        label=_("Ikut disimpan untuk offline"),
        required=False,
        default=False,
        help_text=_("Dokumen ini ikut terunduh saat pelatih menyimpan kursus untuk dibaca offline."),
    )

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/document.html"
        label = _("Unduhan dokumen")
        description = _("Tautan unduhan dokumen beserta ukurannya.")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Jenis"),
        choices=[
            ("tip", _("Tips")),
            ("warning", _("Peringatan")),
            ("facilitator", _("Catatan fasilitator")),
        ],
        default="tip",
    )
    title = blocks.CharBlock(label=_("Judul"), required=False, max_length=200)
    text = blocks.RichTextBlock(label=_("Isi"), features=["bold", "italic", "ol", "ul", "link"])

    class Meta:
        icon = "help"
        template = "courses/blocks/callout.html"
        label = _("Kotak catatan")
        description = _("Tips, peringatan, atau catatan fasilitator yang disorot.")


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Judul"), required=False, max_length=200)
    items = blocks.ListBlock(blocks.CharBlock(label=_("Butir"), max_length=300), label=_("Butir"), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "courses/blocks/checklist.html"
        label = _("Daftar periksa")
        description = _("Daftar hal yang harus dicek atau disiapkan.")


class AnswerChoiceBlock(blocks.StructBlock):
    """One answer of a quiz question (not Wagtail's `ChoiceBlock`, a drop-down of fixed values)."""

    text = blocks.CharBlock(label=_("Pilihan"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Jawaban benar"), required=False)

    class Meta:
        icon = "radio-full"
        label = _("Pilihan")


MIN_CHOICES = 2


class QuestionBlock(blocks.StructBlock):
    class Kind:
        SINGLE = "single"
        MULTIPLE = "multiple"

    text = blocks.TextBlock(label=_("Pertanyaan"))
    kind = blocks.ChoiceBlock(
        label=_("Jenis"),
        choices=[("single", _("Satu jawaban benar")), ("multiple", _("Beberapa jawaban benar"))],
        default="single",
    )
    choices = blocks.ListBlock(AnswerChoiceBlock(), label=_("Pilihan"), min_num=MIN_CHOICES)
    explanation = blocks.TextBlock(
        label=_("Penjelasan"), required=False, help_text=_("Ditampilkan setelah pelatih mengirim jawaban.")
    )

    class Meta:
        icon = "help"
        label = _("Pertanyaan")
        # A new question starts with the two (empty) choices it needs at least. In Meta, not as the
        # ListBlock's `default`, so that the migrations' frozen block definitions stay as they are.
        default = {
            "kind": "single",
            "choices": [{"text": "", "correct": False}, {"text": "", "correct": False}],
        }

    def clean(self, value):
        value = super().clean(value)
        # Checked even when a draft is saved (Wagtail then skips `min_num` and required fields): the
        # editor would otherwise see the error on screen while the draft is saved regardless.
        if len(value["choices"]) < MIN_CHOICES:
            raise StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(
                        _("Sebuah pertanyaan memerlukan setidaknya %(n)d pilihan.") % {"n": MIN_CHOICES}
                    )
                }
            )
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if correct == 0:
            raise StructBlockValidationError(
                block_errors={
                    "choices": ValidationError(_("Tandai setidaknya satu pilihan sebagai jawaban benar."))
                }
            )
        if value["kind"] == self.Kind.SINGLE and correct != 1:
            raise StructBlockValidationError(
                block_errors={
                    "kind": ValidationError(
                        _("Pertanyaan satu jawaban harus memiliki tepat satu jawaban benar (ada %(n)d).")
                        % {"n": correct}
                    )
                }
            )
        return value


class QuizReveal(models.TextChoices):
    """When a trainer sees the explanations and the correct answers of a quiz. Whether each
    question was right is shown after every attempt whatever the choice."""

    ALWAYS = "always", _("Setelah setiap percobaan")
    PASSED = "passed", _("Setelah lulus")
    EXHAUSTED = "exhausted", _("Hanya setelah percobaan habis")
    PASSED_OR_EXHAUSTED = "passed_or_exhausted", _("Setelah lulus atau setelah percobaan habis")


class QuizBlock(blocks.StructBlock):
    """A quiz. Its stable id is the stream block's id; questions and choices keep their list item ids.

    The attempt settings left blank follow the course's (CoursePage.quiz_*; courses.quiz_policy)."""

    title = blocks.CharBlock(label=_("Judul kuis"), max_length=200)
    intro = blocks.TextBlock(label=_("Pengantar"), required=False)
    pass_mark = blocks.IntegerBlock(
        label=_("Nilai lulus (%)"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("Kosongkan untuk memakai nilai lulus kursus."),
    )
    max_attempts = blocks.IntegerBlock(
        label=_("Batas percobaan"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Kosongkan untuk memakai batas kursus (biasanya 3). 0 = tanpa batas."),
    )
    retry_wait_minutes = blocks.IntegerBlock(
        label=_("Waktu tunggu setelah gagal (menit)"),
        required=False,
        min_value=0,
        max_value=7 * 24 * 60,
        help_text=_("Kosongkan untuk memakai waktu tunggu kursus. Berlipat dua setiap kegagalan berikutnya."),
    )
    reveal = blocks.ChoiceBlock(
        label=_("Pembahasan dan jawaban benar ditampilkan"),
        choices=QuizReveal.choices,
        required=False,
        help_text=_("Kosongkan untuk memakai aturan kursus."),
    )
    draw_count = blocks.IntegerBlock(
        label=_("Jumlah soal per percobaan"),
        required=False,
        min_value=1,
        help_text=_(
            "Undi sekian soal dari semua pertanyaan untuk setiap percobaan. Kosongkan untuk semua soal."
        ),
    )
    shuffle_choices = blocks.BooleanBlock(
        label=_("Acak urutan pilihan"),
        required=False,
        default=True,
        help_text=_("Urutan berbeda di setiap percobaan."),
    )
    questions = blocks.ListBlock(QuestionBlock(), label=_("Pertanyaan"), min_num=1)

    class Meta:
        icon = "tasks"
        template = "courses/blocks/quiz.html"
        label = _("Kuis")
        description = _("Pertanyaan pilihan ganda yang dinilai di server.")

    def clean(self, value):
        value = super().clean(value)
        draw_count = value.get("draw_count")
        if draw_count and draw_count > len(value["questions"]):
            raise StructBlockValidationError(
                block_errors={
                    "draw_count": ValidationError(
                        _("Jumlah soal per percobaan (%(n)d) melebihi jumlah pertanyaan (%(m)d).")
                        % {"n": draw_count, "m": len(value["questions"])}
                    )
                }
            )
        return value


class LessonStreamBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        label=_("Teks"),
        icon="pilcrow",
        template="courses/blocks/rich_text.html",
        description=_("Teks bebas dengan judul, daftar dan tautan."),
    )
    image = ImageBlock()
    video = VideoBlock()
    document = LessonDocumentBlock()
    callout = CalloutBlock()
    checklist = ChecklistBlock()
    quiz = QuizBlock()

    class Meta:
        block_counts = {"quiz": {"max_num": 3}}


class AgendaStepBlock(blocks.StructBlock):
    minutes = blocks.IntegerBlock(label=_("Menit"), min_value=1, max_value=480)
    activity = blocks.CharBlock(label=_("Kegiatan"), max_length=200)
    method = blocks.CharBlock(label=_("Metode"), required=False, max_length=200)
    materials = blocks.CharBlock(label=_("Bahan"), required=False, max_length=300)

    class Meta:
        icon = "time"
        template = "courses/blocks/agenda_step.html"
        label = _("Langkah agenda")
        description = _("Satu langkah sesi dengan durasi, kegiatan, metode dan bahan.")


class HandoutBlock(DocumentBlock):
    class Meta:
        icon = "doc-full"
        template = "courses/blocks/document.html"
        label = _("Bahan cetak")
        description = _("Dokumen yang dibagikan atau dicetak untuk peserta.")
