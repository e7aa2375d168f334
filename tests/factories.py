"""Factories shared by the whole test suite.

Users and profiles:
    UserFactory, TrainerFactory (a user in "Trainers" with a TrainerProfile), EditorFactory,
    CoordinatorFactory (with a CoordinatorProfile; pass ``service_points=[...]``), AdminFactory,
    ServicePointFactory, TrainerProfileFactory.

Pages (wagtail-factories; pass ``parent=`` to place a page in the tree):
    HomePageFactory, CourseIndexPageFactory, CoursePageFactory, ModulePageFactory, LessonPageFactory,
    FacilitatorGuideIndexPageFactory, FacilitatorGuidePageFactory.

Content tree:
    ``build_course(modules=2, lessons_per_module=3, quiz=True)`` builds home → course index → course →
    modules → lessons, all live, and returns the CoursePage. With ``quiz=True`` the last lesson of each
    module holds one quiz (see ``quiz_block_data``) whose correct answers are the choices whose text
    starts with "Benar". Stream block ids are deterministic (``stable_id``), so tests can post answers.

All factories use the default test password ``PASSWORD``.
"""

import uuid

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from courses.models import (
    CoordinatorProfile,
    CourseIndexPage,
    CoursePage,
    FacilitatorGuideIndexPage,
    FacilitatorGuidePage,
    HomePage,
    LessonPage,
    ModulePage,
    ServicePoint,
    TrainerProfile,
)

PASSWORD = "kata-sandi-uji-123"
TEST_NAMESPACE = uuid.UUID("0d7d6d2e-5a0b-4b9c-8f7e-3c2a1b0f9e88")


def stable_id(*parts) -> str:
    """A deterministic block id, e.g. ``stable_id("lesson-1", "quiz")``."""
    return str(uuid.uuid5(TEST_NAMESPACE, ":".join(str(part) for part in parts)))


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
    name = factory.LazyAttribute(lambda sp: f"UPT BP2MI Uji {sp.code}")
    kind = ServicePoint.Kind.UPT_BP2MI
    province = "Jawa Timur"
    city = "Surabaya"
    active = True


class TrainerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainerProfile

    user = factory.SubFactory(UserFactory)
    full_name = factory.LazyAttribute(lambda profile: f"{profile.user.first_name} {profile.user.last_name}")
    phone = "+62 812 0000 0000"
    service_point = factory.SubFactory(ServicePointFactory)


class TrainerFactory(UserFactory):
    """A user in the Trainers group with a TrainerProfile (``service_point=`` to choose it)."""

    username = factory.Sequence(lambda n: f"pelatih{n}")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name="Trainers")[0])

    @factory.post_generation
    def service_point(self, create, extracted, **kwargs):
        if create:
            TrainerProfileFactory(user=self, service_point=extracted or ServicePointFactory())


class EditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name="Content editors")[0])


class CoordinatorFactory(UserFactory):
    """A coordinator; ``service_points=[...]`` scopes them, ``national=True`` gives all."""

    username = factory.Sequence(lambda n: f"koordinator{n}")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name="Coordinators")[0])

    @factory.post_generation
    def service_points(self, create, extracted, national=False, **kwargs):
        if create:
            profile = CoordinatorProfile.objects.create(user=self, is_national=national)
            if extracted:
                profile.service_points.add(*extracted)


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


def quiz_block_data(key: str, *, questions: int = 2, pass_mark=None, max_attempts=None) -> dict:
    """Raw stream data of a quiz block with deterministic ids.

    Question n is single-answer when n is even, multiple-answer when odd. Correct choices' texts start
    with "Benar", wrong ones with "Salah"; every explanation contains "PENJELASAN".
    """
    items = []
    for n in range(questions):
        multiple = n % 2 == 1
        choices = [("Benar A", True), ("Salah B", False), ("Benar C" if multiple else "Salah C", multiple)]
        items.append(
            {
                "type": "item",
                "id": stable_id(key, "q", n),
                "value": {
                    "text": f"Pertanyaan {n + 1}?",
                    "kind": "multiple" if multiple else "single",
                    "choices": [
                        {
                            "type": "item",
                            "id": stable_id(key, "q", n, "c", i),
                            "value": {"text": t, "correct": c},
                        }
                        for i, (t, c) in enumerate(choices)
                    ],
                    "explanation": f"PENJELASAN {n + 1}",
                },
            }
        )
    return {
        "type": "quiz",
        "id": stable_id(key, "quiz"),
        "value": {
            "title": "Kuis modul",
            "intro": "",
            "pass_mark": pass_mark,
            "max_attempts": max_attempts,
            "questions": items,
        },
    }


def lesson_body(key: str, *, quiz: bool = False) -> list[dict]:
    body = [
        {"type": "rich_text", "id": stable_id(key, "text"), "value": "<p>Isi pelajaran untuk pelatih.</p>"},
        {
            "type": "callout",
            "id": stable_id(key, "callout"),
            "value": {"kind": "tip", "title": "Tips", "text": "<p>Mulai dari tujuan peserta.</p>"},
        },
    ]
    if quiz:
        body.append(quiz_block_data(key))
    return body


def build_course(
    modules: int = 2, lessons_per_module: int = 3, quiz: bool = True, *, parent=None, **course_fields
) -> CoursePage:
    """Build a live course: home → course index → course → ``modules`` × ``lessons_per_module`` lessons.

    ``quiz=True`` puts a quiz (``quiz_block_data``) in the last lesson of every module. Extra keyword
    arguments go to the CoursePage (e.g. ``pass_mark=80``). Returns the CoursePage.
    """
    course = CoursePageFactory(parent=parent or course_index_page(), **course_fields)
    for m in range(modules):
        module = ModulePageFactory(parent=course, title=f"Modul {m + 1}", slug=f"modul-{m + 1}")
        for n in range(lessons_per_module):
            key = f"{course.slug}-{m + 1}-{n + 1}"
            LessonPageFactory(
                parent=module,
                title=f"Pelajaran {m + 1}.{n + 1}",
                slug=f"pelajaran-{m + 1}-{n + 1}",
                body=lesson_body(key, quiz=quiz and n == lessons_per_module - 1),
            )
    return course
