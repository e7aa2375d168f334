"""The content tree: home → course index → course → module → lesson, and the facilitator guides."""

from collections.abc import Callable
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index
from wagtail.url_routing import RouteResult

from courses import content_cache
from courses.blocks import AgendaStepBlock, HandoutBlock, LessonStreamBlock, QuizReveal
from courses.people.models import ServicePoint

INTRO_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class HomePage(Page):
    intro = RichTextField(_("pengantar"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage", "courses.FacilitatorGuideIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("beranda")

    # home / course index / course / module / lesson: a request for a lesson names four slugs.
    LESSON_PATH_LENGTH = 4

    def route(self, request, path_components):
        """Find a lesson, the page trainers open most, with one query on its URL path instead of
        two queries per level of the tree. Anything else is routed the usual way. None of the
        pages between the home page and a lesson routes differently, so the result is the same."""
        if len(path_components) == self.LESSON_PATH_LENGTH:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            lesson = LessonPage.objects.filter(url_path=url_path, path__startswith=self.path).first()
            if lesson is not None:
                if not lesson.live:
                    raise Http404
                return RouteResult(lesson)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = (
            CoursePage.objects.live().public().descendant_of(self).defer_streamfields().order_by("path")
        )
        context["guide_index"] = FacilitatorGuideIndexPage.objects.live().child_of(self).first()
        context["service_point_count"] = ServicePoint.objects.filter(active=True).count()
        return context


class CourseIndexPage(Page):
    intro = RichTextField(_("pengantar"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("daftar kursus")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = CoursePage.objects.live().public().child_of(self).defer_streamfields()
        return context


class CoursePage(Page):
    """One TOT curriculum."""

    class Level(models.TextChoices):
        BASIC = "basic", _("Dasar")
        INTERMEDIATE = "intermediate", _("Menengah")
        ADVANCED = "advanced", _("Lanjutan")

    summary = models.TextField(_("ringkasan"), max_length=600)
    intro = RichTextField(_("pengantar"), blank=True, features=INTRO_FEATURES)
    learning_outcomes = StreamField(
        [("outcome", blocks.CharBlock(label=_("Capaian"), max_length=300))],
        verbose_name=_("capaian pembelajaran"),
        blank=True,
    )
    estimated_hours = models.DecimalField(
        _("perkiraan jam belajar"), max_digits=5, decimal_places=1, default=1
    )
    level = models.CharField(_("tingkat"), max_length=16, choices=Level.choices, default=Level.BASIC)
    pass_mark = models.PositiveSmallIntegerField(
        _("nilai lulus kuis (%)"),
        default=70,
        help_text=_("Berlaku untuk kuis yang tidak menetapkan nilai sendiri."),
    )
    open_for_enrolment = models.BooleanField(_("terbuka untuk pendaftaran"), default=True)
    # The attempt policy of the course's quizzes; a quiz block may override each (courses.quiz_policy).
    quiz_max_attempts = models.PositiveSmallIntegerField(
        _("batas percobaan kuis"),
        default=3,
        help_text=_("Berlaku untuk kuis yang tidak menetapkan batas sendiri. 0 = tanpa batas."),
    )
    quiz_retry_wait_minutes = models.PositiveIntegerField(
        _("waktu tunggu setelah gagal (menit)"),
        default=10,
        validators=[MaxValueValidator(7 * 24 * 60)],
        help_text=_(
            "Setelah percobaan yang tidak lulus, pelatih menunggu selama ini; setiap kegagalan berikutnya "
            "menggandakan waktu tunggu (paling lama 24 jam). 0 = tanpa waktu tunggu."
        ),
    )
    quiz_reveal = models.CharField(
        _("pembahasan dan jawaban benar ditampilkan"),
        max_length=24,
        choices=QuizReveal.choices,
        default=QuizReveal.PASSED_OR_EXHAUSTED,
        help_text=_("Benar atau salahnya setiap pertanyaan selalu ditampilkan setelah setiap percobaan."),
    )
    auto_issue_certificate = models.BooleanField(
        _("terbitkan sertifikat otomatis saat selesai"), default=False
    )
    certificate_template = models.ForeignKey(
        "certificates.CertificateTemplate",
        verbose_name=_("templat sertifikat"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("intro"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("estimated_hours"),
                FieldPanel("level"),
                FieldPanel("pass_mark"),
                FieldPanel("open_for_enrolment"),
            ],
            heading=_("Pengaturan kursus"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("quiz_max_attempts"),
                FieldPanel("quiz_retry_wait_minutes"),
                FieldPanel("quiz_reveal"),
            ],
            heading=_("Aturan percobaan kuis"),
        ),
        MultiFieldPanel(
            [FieldPanel("certificate_template"), FieldPanel("auto_issue_certificate")],
            heading=_("Sertifikat"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("intro"),
        index.FilterField("level"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]
    # The admin explorer lists the modules in reading order (the tree's), not by last change.
    admin_default_ordering = "ord"

    class Meta:
        verbose_name = _("kursus")
        verbose_name_plural = _("kursus")

    def modules(self):
        return ModulePage.objects.live().child_of(self).defer_streamfields()

    def lessons(self):
        """Live lessons in reading order (tree order across modules)."""
        return LessonPage.objects.live().descendant_of(self).defer_streamfields().order_by("path")

    def outline(self) -> list[tuple["ModulePage", list["LessonPage"]]]:
        """Modules with their live lessons, in reading order. Two queries whatever the course size."""
        lessons_by_module: dict[str, list[LessonPage]] = {}
        for lesson in self.lessons():
            lessons_by_module.setdefault(lesson.path[: -Page.steplen], []).append(lesson)
        return [(module, lessons_by_module.get(module.path, [])) for module in self.modules()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        outline = self.outline()
        context["outline"] = outline
        context["lesson_count"] = sum(len(lessons) for _, lessons in outline)
        context["first_lesson"] = next((lessons[0] for _, lessons in outline if lessons), None)
        context["guides"] = self.facilitator_guides.live().public().defer_streamfields()
        return context


class ModulePage(Page):
    summary = models.TextField(_("ringkasan"), blank=True, max_length=600)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]
    # The admin explorer lists the lessons in reading order (the tree's), not by last change.
    admin_default_ordering = "ord"

    class Meta:
        verbose_name = _("modul")
        verbose_name_plural = _("modul")

    @cached_property
    def course(self) -> "CoursePage":
        return CoursePage.objects.ancestor_of(self).get()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = LessonPage.objects.live().child_of(self).defer_streamfields()
        siblings = ModulePage.objects.live().sibling_of(self, inclusive=False)
        context["previous_module"] = siblings.filter(path__lt=self.path).order_by("-path").first()
        context["next_module"] = siblings.filter(path__gt=self.path).order_by("path").first()
        context["guides"] = self.facilitator_guides.live().public().defer_streamfields()
        return context


class AssessmentRole(models.TextChoices):
    """What a lesson's quiz is to its course: an ordinary quiz, the pre-test or the post-test."""

    NONE = "", _("Tidak ada (kuis biasa)")
    PRE_TEST = "pre_test", _("Tes awal")
    POST_TEST = "post_test", _("Tes akhir")


class LessonPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        if not self.instance.path and self.parent_page is not None:
            # LessonPage.clean checks the course's other lessons; a new lesson has no path yet.
            self.instance._parent_path = self.parent_page.path
        return cleaned


class LessonPage(Page):
    intro = models.TextField(_("pengantar singkat"), blank=True, max_length=600)
    estimated_minutes = models.PositiveSmallIntegerField(_("perkiraan menit"), default=10)
    required = models.BooleanField(
        _("wajib"), default=True, help_text=_("Pelajaran wajib harus selesai agar kursus dinyatakan selesai.")
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("isi"), blank=True)
    assessment_role = models.CharField(
        _("peran penilaian"),
        max_length=16,
        choices=AssessmentRole.choices,
        default=AssessmentRole.NONE,
        blank=True,
        help_text=_(
            "Kuis dalam pelajaran ini menjadi tes awal atau tes akhir kursus. Tes awal dikerjakan "
            "sebelum pelajaran pertama dan tidak dihitung untuk kelulusan; tes akhir dihitung seperti "
            "kuis lainnya. Pelajaran ini harus berisi tepat satu kuis."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("estimated_minutes"), FieldPanel("required"), FieldPanel("assessment_role")],
            heading=_("Pengaturan"),
        ),
        FieldPanel("body"),
    ]
    # A copy (to another course, or beside this one) would give its course a second pre/post-test.
    exclude_fields_in_copy = ["assessment_role"]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types = []
    base_form_class = LessonPageForm

    class Meta:
        verbose_name = _("pelajaran")
        verbose_name_plural = _("pelajaran")

    @cached_property
    def course(self) -> "CoursePage":
        return CoursePage.objects.ancestor_of(self).get()

    @cached_property
    def module(self) -> "ModulePage":
        return ModulePage.objects.ancestor_of(self).get()

    def clean(self):
        super().clean()
        if self.assessment_role:
            from courses.assessments import assessment_role_errors

            # A lesson being created in the admin has no tree path yet: its form says the parent's.
            module_path = self.path[: -self.steplen] if self.path else getattr(self, "_parent_path", "")
            errors = assessment_role_errors(lesson=self, module_path=module_path)
            if errors:
                raise ValidationError({"assessment_role": errors})

    def get_view_restrictions(self):
        """The view restrictions of this lesson and its ancestors (an alias's are its source's),
        in one query instead of two: the lesson forms and every request for a lesson check them."""
        if self.alias_of_id:
            return super().get_view_restrictions()
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        if content_cache.enabled() and content_cache.restricted_paths().isdisjoint(paths):
            # No restriction anywhere above (the restricted pages come from the cache): no query.
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page__aliases__path__in=paths)
        ).distinct()

    # What the page shows the trainer besides the content (progress, navigation, quiz forms, data
    # cost): a function of the read layer, `(request=, lesson=) -> dict`, set by
    # courses.apps.CoursesConfig.ready() so that the models never import the read layer.
    learning_context_builder: ClassVar[Callable[..., dict] | None] = None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if LessonPage.learning_context_builder is not None:
            context.update(LessonPage.learning_context_builder(request=request, lesson=self))
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # The page shows this trainer's progress: no shared cache may keep it.
            patch_cache_control(response, private=True, no_cache=True)
        return response


class LessonQuiz(models.Model):
    """The quiz index: which lesson holds a quiz block, by the block's id. Kept from each lesson's
    saved body by courses.receivers (every save, so every publish), so that a quiz is found by
    its id with one indexed query instead of a search through the bodies of all lessons."""

    quiz_id = models.CharField(_("kuis"), max_length=64, db_index=True)
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="quiz_index")

    class Meta:
        verbose_name = _("kuis pelajaran")
        verbose_name_plural = _("kuis pelajaran")
        constraints = [models.UniqueConstraint(fields=["lesson", "quiz_id"], name="lesson_quiz_once")]

    def __str__(self) -> str:
        return f"{self.quiz_id} → {self.lesson_id}"


class FacilitatorGuideIndexPage(Page):
    intro = RichTextField(_("pengantar"), blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.FacilitatorGuidePage"]

    class Meta:
        verbose_name = _("daftar panduan fasilitator")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guides"] = (
            FacilitatorGuidePage.objects.live().public().child_of(self).select_related("course", "module")
        )
        return context


class FacilitatorGuidePage(Page):
    """A session plan a trainer runs at their service point."""

    summary = models.TextField(_("ringkasan"), blank=True, max_length=600)
    goals = RichTextField(_("tujuan sesi"), features=INTRO_FEATURES)
    duration_minutes = models.PositiveSmallIntegerField(_("durasi (menit)"), default=60)
    audience = models.CharField(_("peserta"), max_length=200, blank=True)
    agenda = StreamField([("step", AgendaStepBlock())], verbose_name=_("agenda"), blank=True)
    materials = StreamField(
        [
            (
                "item",
                blocks.CharBlock(label=_("Bahan"), max_length=300, template="courses/blocks/material.html"),
            )
        ],
        verbose_name=_("daftar bahan"),
        blank=True,
    )
    handouts = StreamField([("handout", HandoutBlock())], verbose_name=_("bahan cetak"), blank=True)
    notes = RichTextField(_("catatan fasilitator"), blank=True, features=INTRO_FEATURES)
    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("kursus terkait"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitator_guides",
    )
    module = models.ForeignKey(
        ModulePage,
        verbose_name=_("modul terkait"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitator_guides",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("course"),
                FieldPanel("module"),
                FieldPanel("duration_minutes"),
                FieldPanel("audience"),
            ],
            heading=_("Konteks sesi"),
        ),
        FieldPanel("goals"),
        FieldPanel("agenda"),
        FieldPanel("materials"),
        FieldPanel("handouts"),
        FieldPanel("notes"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("goals"),
        index.SearchField("notes"),
    ]
    parent_page_types = ["courses.FacilitatorGuideIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("panduan fasilitator")
        verbose_name_plural = _("panduan fasilitator")

    @property
    def agenda_minutes(self) -> int:
        return sum(step.value["minutes"] or 0 for step in self.agenda)

    def agenda_schedule(self) -> list[dict]:
        """The agenda steps with their start and end, counted in minutes from the start of the session."""
        schedule, elapsed = [], 0
        for number, step in enumerate(self.agenda, start=1):
            minutes = step.value["minutes"] or 0
            schedule.append(
                {
                    "number": number,
                    "step": step.value,
                    "start": elapsed,
                    "end": elapsed + minutes,
                    "start_label": minutes_label(elapsed),
                    "end_label": minutes_label(elapsed + minutes),
                }
            )
            elapsed += minutes
        return schedule

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["schedule"] = self.agenda_schedule()
        return context


def minutes_label(minutes: int) -> str:
    """Elapsed time as a clock-like label, 75 → "1:15", so facilitators can keep time."""
    return f"{minutes // 60}:{minutes % 60:02d}"
