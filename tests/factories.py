"""Factories shared by the whole test suite.

Users and profiles:
    UserFactory, TrainerFactory (a user in "Trainers" with a TrainerProfile), EditorFactory,
    CoordinatorFactory (with a CoordinatorProfile; pass ``service_points=[...]``, and
    ``service_points__national=True`` for a national one), AdminFactory, ServicePointFactory,
    TrainerProfileFactory.

Learning:
    EnrolmentFactory (``completed=True`` for a completed course).

Pages (wagtail-factories; pass ``parent=`` to place a page in the tree):
    HomePageFactory, CourseIndexPageFactory, CoursePageFactory, ModulePageFactory, LessonPageFactory,
    FacilitatorGuideIndexPageFactory, FacilitatorGuidePageFactory.

Images:
    ImageFactory (a 1200 × 800 PNG in the root collection).

Content tree:
    ``certified_course(**fields)`` is a live course without lessons that issues certificates with
    the default certificate template (what the certificate tests need).
    ``build_course(modules=1, lessons=3, quiz_lessons=(0,))`` builds home → course index → course →
    modules → lessons, all live, and returns a ``BuiltCourse`` (course, modules, lessons, quiz_ids).
    Quizzes (``quiz_block``) have two questions with ids derived from the quiz id, so tests can answer
    them with ``right_answers``, ``half_right_answers`` and ``wrong_answers``.

All users have the test password ``PASSWORD``.
"""

import itertools
import uuid
from collections.abc import Collection as Indexes
from dataclasses import dataclass, field
from decimal import Decimal

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from certificates.services import certificate_template_ensure_default
from courses.models import (
    CoordinatorProfile,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    FacilitatorGuideIndexPage,
    FacilitatorGuidePage,
    HomePage,
    LessonPage,
    ModulePage,
    ServicePoint,
    TrainerProfile,
)
from courses.people.roles import COORDINATORS_GROUP, EDITORS_GROUP, TRAINERS_GROUP

PASSWORD = "kata-sandi-uji-123"
# In every quiz explanation: ``EXPLANATION.format(n="2-1")`` is in the one of quiz 2, question 1.
EXPLANATION = "PEMBAHASAN-RAHASIA-{n}"


# --- users -----------------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Uji"
    last_name = factory.Sequence(lambda n: f"Pengguna {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        """``UserFactory(groups=["Trainers"])``: group names, created when missing."""
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])


class ServicePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePoint
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TS{n:03d}")
    name = factory.LazyAttribute(lambda sp: f"UPT BP2MI {sp.code}")
    kind = ServicePoint.Kind.UPT_BP2MI
    province = "Jawa Timur"
    city = "Surabaya"
    active = True


class TrainerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainerProfile

    user = factory.SubFactory(UserFactory)
    full_name = factory.LazyAttribute(lambda profile: f"{profile.user.first_name} {profile.user.last_name}")
    phone = "6281200000000"
    service_point = factory.SubFactory(ServicePointFactory)


class TrainerFactory(UserFactory):
    """A user in the Trainers group with a TrainerProfile.

    ``service_point=`` chooses the profile's service point (``None`` for none, a new one by default);
    ``profile__full_name=`` and ``profile__phone=`` set the profile's other fields.
    """

    class Params:
        service_point = factory.SubFactory(ServicePointFactory)

    username = factory.Sequence(lambda n: f"pelatih{n}")
    profile = factory.RelatedFactory(
        TrainerProfileFactory,
        factory_related_name="user",
        service_point=factory.SelfAttribute("..service_point"),
    )

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name=TRAINERS_GROUP)[0])


class EditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name=EDITORS_GROUP)[0])


class CoordinatorFactory(UserFactory):
    """A coordinator; ``service_points=[...]`` scopes them, ``service_points__provinces=[...]``
    adds whole provinces, ``service_points__national=True`` gives all."""

    username = factory.Sequence(lambda n: f"koordinator{n}")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])

    @factory.post_generation
    def service_points(self, create, extracted, national=False, provinces=(), **kwargs):
        if create:
            profile = CoordinatorProfile.objects.create(
                user=self, is_national=national, provinces=list(provinces)
            )
            if extracted:
                profile.service_points.add(*extracted)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """A trainer's enrolment in a course; ``completed=True`` marks the course completed now."""

    class Meta:
        model = Enrolment

    trainer = factory.SubFactory(TrainerFactory)
    course = factory.LazyFunction(lambda: build_course().course)

    class Params:
        completed = factory.Trait(completed_at=factory.LazyFunction(timezone.now))


class AdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True
    is_superuser = True


# --- pages -----------------------------------------------------------------------------------------


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Beranda"
    intro = "<p>Ruang belajar pelatih Purna PMI.</p>"


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CourseIndexPage

    title = "Kursus"
    slug = "kursus"


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Kursus uji {n}")
    summary = "Kursus untuk pengujian."
    estimated_hours = 2
    pass_mark = 70
    # No wait after a failed attempt unless a test is about it (the model's default is 10 minutes).
    quiz_retry_wait_minutes = 0


class ModulePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Modul {n}")
    summary = "Ringkasan modul."


class LessonPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Pelajaran {n}")
    intro = "Pengantar pelajaran."
    estimated_minutes = 10


class FacilitatorGuideIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FacilitatorGuideIndexPage

    title = "Panduan fasilitator"
    slug = "panduan-fasilitator"


class FacilitatorGuidePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FacilitatorGuidePage

    title = factory.Sequence(lambda n: f"Panduan {n}")
    goals = "<p>Peserta bisa mendaftar sendiri.</p>"
    duration_minutes = 60
    agenda = factory.LazyFunction(
        lambda: [
            {
                "type": "step",
                "value": {"minutes": 15, "activity": "Pembukaan", "method": "", "materials": ""},
            },
            {"type": "step", "value": {"minutes": 45, "activity": "Praktik", "method": "", "materials": ""}},
        ]
    )


# --- content tree ----------------------------------------------------------------------------------


def home_page() -> HomePage:
    """The site's HomePage, created (and made the default Site's root) on first use."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    home = HomePageFactory(parent=Page.get_first_root_node(), slug="beranda-uji")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    return home


def course_index_page() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    return index or CourseIndexPageFactory(parent=home_page())


def certified_course(**course_fields) -> CoursePage:
    """A live course without modules or lessons, in the course index, whose certificates use the
    default certificate template unless ``certificate_template=`` is given. Other keyword arguments
    go to the CoursePage (e.g. ``auto_issue_certificate=True``, ``title=``)."""
    course_fields.setdefault("title", "Pendampingan Pendaftaran Kartu Prakerja")
    course_fields.setdefault("slug", f"kursus-{next(_certified_course_numbers)}")
    course_fields.setdefault("estimated_hours", Decimal("12.0"))
    course_fields.setdefault("summary", "Ringkasan")
    if course_fields.get("certificate_template") is None:
        course_fields["certificate_template"] = certificate_template_ensure_default()
    return CoursePageFactory(parent=course_index_page(), **course_fields)


_certified_course_numbers = itertools.count(1)


def quiz_block(quiz_id: str, n: int, *, pass_mark=None, max_attempts=None, **settings) -> dict:
    """Raw stream data of quiz ``n`` (its title is "Kuis n"), with ids derived from ``quiz_id``.

    Question 1 is single-answer (choice a right, b wrong); question 2 is multiple-answer (a and c
    right, b wrong). Each explanation starts "Penjelasan rahasia <n>.<question>" and holds
    ``EXPLANATION.format(n="<n>-<question>")``: tests check that neither phrase leaks before a submission.
    Other keyword arguments are quiz settings (``draw_count=``, ``reveal=``, ``shuffle_choices=``…).
    """
    questions = []
    for q, (word, kind, letters) in enumerate(
        [("satu", "single", "ab"), ("dua", "multiple", "abc")], start=1
    ):
        choices = [
            {
                "type": "item",
                "id": f"{quiz_id}-q{q}-{letter}",
                "value": {"text": f"Pilihan {letter.upper()}", "correct": letter != "b"},
            }
            for letter in letters
        ]
        questions.append(
            {
                "type": "item",
                "id": f"{quiz_id}-q{q}",
                "value": {
                    "text": f"Pertanyaan {word} kuis {n}?",
                    "kind": kind,
                    "explanation": f"Penjelasan rahasia {n}.{q}: {EXPLANATION.format(n=f'{n}-{q}')}",
                    "choices": choices,
                },
            }
        )
    return {
        "type": "quiz",
        "id": quiz_id,
        "value": {
            "title": f"Kuis {n}",
            "intro": "",
            "pass_mark": pass_mark,
            "max_attempts": max_attempts,
            **settings,
            "questions": questions,
        },
    }


def right_answers(quiz_id: str) -> dict[str, list[str]]:
    """Answers to a ``quiz_block`` quiz that score 100."""
    return {f"{quiz_id}-q1": [f"{quiz_id}-q1-a"], f"{quiz_id}-q2": [f"{quiz_id}-q2-a", f"{quiz_id}-q2-c"]}


def half_right_answers(quiz_id: str) -> dict[str, list[str]]:
    """q1 right; q2 with one right choice missing: scores 50."""
    return {f"{quiz_id}-q1": [f"{quiz_id}-q1-a"], f"{quiz_id}-q2": [f"{quiz_id}-q2-a"]}


def wrong_answers(quiz_id: str) -> dict[str, list[str]]:
    """Answers that score 0."""
    return {f"{quiz_id}-q1": [f"{quiz_id}-q1-b"], f"{quiz_id}-q2": [f"{quiz_id}-q2-b"]}


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_image_model()

    title = "Gambar uji"
    file = factory.django.ImageField(width=1200, height=800, format="PNG")
    collection = factory.LazyFunction(Collection.get_first_root_node)


@dataclass
class BuiltCourse:
    course: CoursePage
    modules: list[ModulePage]
    lessons: list[LessonPage]
    quiz_ids: list[str] = field(default_factory=list)


def build_course(
    *,
    modules: int = 1,
    lessons: int = 3,
    quiz_lessons: Indexes[int] = (0,),
    optional_lessons: Indexes[int] = (),
    quiz_pass_mark=None,
    max_attempts=None,
    image=None,
    parent=None,
    **course_fields,
) -> BuiltCourse:
    """Build a live course: home → course index → course → ``modules`` modules → ``lessons`` lessons.

    The lessons are spread over the modules in order (lesson i goes to module ``i * modules // lessons``)
    and are titled "Pelajaran <module>.<lesson>". The lessons whose index (over the whole course) is in
    ``quiz_lessons`` end with a quiz (``quiz_block``, with ``quiz_pass_mark`` and ``max_attempts``); those
    in ``optional_lessons`` are not required. With ``image``, every lesson also shows that image. Other
    keyword arguments go to the CoursePage (e.g. ``open_for_enrolment=False``); given a ``slug``, its
    title is "Kursus <slug>".
    """
    if "slug" in course_fields:
        course_fields.setdefault("title", f"Kursus {course_fields['slug']}")
    course = CoursePageFactory(parent=parent or course_index_page(), **course_fields)
    built = BuiltCourse(course=course, modules=[], lessons=[])
    for m in range(modules):
        built.modules.append(ModulePageFactory(parent=course, title=f"Modul {m + 1}", slug=f"modul-{m + 1}"))
    in_module: dict[int, int] = {}
    for n in range(lessons):
        m = n * modules // lessons
        in_module[m] = number = in_module.get(m, 0) + 1
        body = [
            {"type": "rich_text", "id": str(uuid.uuid4()), "value": f"<p>Isi pelajaran {m + 1}.{number}.</p>"}
        ]
        if image is not None:
            body.append(
                {
                    "type": "image",
                    "id": str(uuid.uuid4()),
                    "value": {"image": image.pk, "alt_text": "Gambar", "caption": ""},
                }
            )
        if n in quiz_lessons:
            quiz_id = str(uuid.uuid4())
            built.quiz_ids.append(quiz_id)
            body.append(quiz_block(quiz_id, n + 1, pass_mark=quiz_pass_mark, max_attempts=max_attempts))
        built.lessons.append(
            LessonPageFactory(
                parent=built.modules[m],
                title=f"Pelajaran {m + 1}.{number}",
                slug=f"pelajaran-{m + 1}-{number}",
                required=n not in optional_lessons,
                body=body,
            )
        )
    return built
