"""Seed the demo: service points, the TOT course, facilitator guides, their artwork and one account
per role, from the data of this package.

Idempotent: running it twice changes nothing. Pages are found by their slug under their parent and
created only when missing, so an editor's changes to the demo content survive `make run` (which seeds
on every start); ``refresh=True`` brings existing demo pages back to the text of this package,
publishing a new revision only for pages whose content differs. Stream blocks, list items, questions
and choices get ids derived from their position (uuid5), so quiz ids stay stable across runs.
"""

import io
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from courses.demo.accounts import ACCOUNTS
from courses.demo.artwork import handout_pdf, steps_png
from courses.demo.course import COURSE
from courses.demo.guides import GUIDES
from courses.demo.media import DOCUMENTS, IMAGES
from courses.demo.pages import COURSE_INDEX, GUIDE_INDEX, HOME
from courses.demo.service_points import SERVICE_POINTS
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
from courses.people.roles import COORDINATORS_GROUP, EDITORS_GROUP, MODERATORS_GROUP, TRAINERS_GROUP

# Fixed namespace: the same slug and position always give the same block id.
DEMO_NAMESPACE = uuid.UUID("5b0f4a52-7d0e-4c43-9a51-0c3f2f1f7a11")


@dataclass
class DemoSeedResult:
    created: dict[str, int]  # what was created or updated, by kind; empty when nothing changed
    accounts: list[tuple[str, str, str]]  # (role label, username, e-mail) of each demo account


def demo_seed(*, password: str, refresh: bool = False) -> DemoSeedResult:
    """Create what is missing of the demo, in one transaction; with ``refresh``, also bring changed
    demo pages back to this package's text. Idempotent. Sets the demo accounts' password."""
    seeder = Seeder(refresh=refresh)
    with transaction.atomic():
        accounts = seeder.run(password)
    return DemoSeedResult(created=seeder.created, accounts=accounts)


def stable_id(*parts) -> str:
    return str(uuid.uuid5(DEMO_NAMESPACE, ":".join(str(part) for part in parts)))


def list_items(values: list, *key) -> list[dict]:
    """A ListBlock's raw value with a stable id per item."""
    return [{"type": "item", "value": value, "id": stable_id(*key, i)} for i, value in enumerate(values)]


class Seeder:
    def __init__(self, *, refresh: bool):
        self.refresh = refresh
        self.images: dict[str, int] = {}
        self.documents: dict[str, int] = {}
        self.created: dict[str, int] = {}

    # --- bookkeeping ---------------------------------------------------------------------------

    def count(self, what: str) -> None:
        self.created[what] = self.created.get(what, 0) + 1

    # --- stream values -------------------------------------------------------------------------

    def block_value(self, block_type: str, value, key: tuple):
        if block_type == "image":
            return {**value, "image": self.images[value["image"]]}
        if block_type in {"document", "handout"}:
            return {**value, "document": self.documents[value["document"]]}
        if block_type == "checklist":
            return {**value, "items": list_items(value["items"], *key, "items")}
        if block_type == "quiz":
            questions = []
            for q_index, question in enumerate(value["questions"]):
                q_key = (*key, "q", q_index)
                questions.append(
                    {
                        "type": "item",
                        "id": stable_id(*q_key),
                        "value": {
                            **question,
                            "choices": list_items(question["choices"], *q_key, "choices"),
                        },
                    }
                )
            return {**value, "questions": questions}
        return value

    def stream(self, blocks: list[tuple], *key) -> list[dict]:
        return [
            {
                "type": block_type,
                "value": self.block_value(block_type, value, (*key, index)),
                "id": stable_id(*key, index),
            }
            for index, (block_type, value) in enumerate(blocks)
        ]

    # --- pages ---------------------------------------------------------------------------------

    @staticmethod
    def _prepared(page: Page, name: str, value):
        """A field's value as it would be stored, so that current and wanted values compare equal."""
        field = page._meta.get_field(name)
        if field.is_relation:
            return getattr(value, "pk", value)
        if hasattr(field, "stream_block"):
            return json.dumps(field.get_prep_value(field.to_python(value)), sort_keys=True, default=str)
        return field.to_python(value)

    def _current(self, page: Page, name: str):
        field = page._meta.get_field(name)
        if field.is_relation:
            return getattr(page, field.attname)
        if hasattr(field, "stream_block"):
            return json.dumps(field.get_prep_value(getattr(page, name)), sort_keys=True, default=str)
        return getattr(page, name)

    def page(self, parent: Page, model: type[Page], slug: str, fields: dict) -> Page:
        """Create a published page under parent, or (with --refresh) update it if its content differs."""
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is None:
            page = model(slug=slug, **fields)
            parent.add_child(instance=page)
            page.save_revision().publish()
            self.count(model._meta.model_name)
            return page
        if not self.refresh:
            return page
        changed = [
            name
            for name, value in fields.items()
            if self._current(page, name) != self._prepared(page, name, value)
        ]
        if changed or not page.live:
            for name in changed:
                setattr(page, name, fields[name])
            page.save_revision(log_action=True).publish()
            self.count(f"{model._meta.model_name} (updated)")
        return page

    def home(self) -> HomePage:
        """The site's root page. Replaces Wagtail's default "Welcome" page once, as the Site root."""
        root = Page.get_first_root_node()
        home = HomePage.objects.first()
        if home is None:
            home = self.page(root, HomePage, HOME["slug"], {"title": HOME["title"], "intro": HOME["intro"]})
        elif self.refresh:
            self.page(root, HomePage, home.slug, {"title": HOME["title"], "intro": HOME["intro"]})
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="TOT LMS"
            )
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.save(update_fields=["root_page"])
        # Wagtail's placeholder page: a plain Page with no children that no site uses any more.
        plain_page = ContentType.objects.get_for_model(Page)
        for welcome in Page.objects.filter(depth=2, content_type=plain_page, numchild=0):
            if not Site.objects.filter(root_page=welcome).exists():
                welcome.delete()
        return home

    def course(self, index: CourseIndexPage) -> CoursePage:
        from certificates.services import certificate_template_ensure_default

        data = COURSE
        template = certificate_template_ensure_default()
        course = self.page(
            index,
            CoursePage,
            data["slug"],
            {
                "title": data["title"],
                "summary": data["summary"],
                "intro": data["intro"],
                "learning_outcomes": [
                    {"type": "outcome", "value": outcome, "id": stable_id(data["slug"], "outcome", i)}
                    for i, outcome in enumerate(data["outcomes"])
                ],
                "estimated_hours": Decimal(data["estimated_hours"]),
                "level": data["level"],
                "pass_mark": data["pass_mark"],
                "auto_issue_certificate": data["auto_issue_certificate"],
                "certificate_template": template,
            },
        )
        if course.certificate_template_id is None:
            # Databases seeded before certificate templates existed get the link once.
            course.certificate_template = template
            course.save_revision().publish()
            self.count("coursepage (updated)")
        for module_data in data["modules"]:
            module = self.page(
                course,
                ModulePage,
                module_data["slug"],
                {"title": module_data["title"], "summary": module_data["summary"]},
            )
            for position, lesson in enumerate(module_data["lessons"]):
                page = self.page(
                    module,
                    LessonPage,
                    lesson["slug"],
                    {
                        "title": lesson["title"],
                        "intro": lesson["intro"],
                        "estimated_minutes": lesson["minutes"],
                        "assessment_role": lesson.get("assessment_role", ""),
                        "body": self.stream(lesson["body"], lesson["slug"]),
                    },
                )
                if position == 0 and page.get_prev_sibling() is not None:
                    # A lesson added before the others (the pre-test) on a database seeded
                    # earlier: add_child put it last, the reading order wants it first.
                    page.move(module, pos="first-child")
                    self.count("lessonpage (moved)")
        return course

    def guides(self, index: FacilitatorGuideIndexPage, course: CoursePage) -> None:
        modules = {module.slug: module for module in ModulePage.objects.child_of(course)}
        for guide in GUIDES:
            self.page(
                index,
                FacilitatorGuidePage,
                guide["slug"],
                {
                    "title": guide["title"],
                    "summary": guide["summary"],
                    "goals": guide["goals"],
                    "duration_minutes": guide["duration"],
                    "audience": guide["audience"],
                    "course": course if guide["course"] else None,
                    "module": modules.get(guide["module"]),
                    "agenda": self.stream(
                        [("step", step) for step in guide["agenda"]], guide["slug"], "agenda"
                    ),
                    "materials": self.stream(
                        [("item", item) for item in guide["materials"]], guide["slug"], "materials"
                    ),
                    "handouts": self.stream(
                        [
                            ("handout", {"document": key, "title": title, "description": description})
                            for key, title, description in guide["handouts"]
                        ],
                        guide["slug"],
                        "handouts",
                    ),
                    "notes": guide["notes"],
                },
            )

    # --- media ---------------------------------------------------------------------------------

    def media(self) -> None:
        Image = get_image_model()
        Document = get_document_model()
        for key, spec in IMAGES.items():
            image = Image.objects.filter(title=spec["title"]).first()
            if image is None:
                png = ImageFile(io.BytesIO(steps_png(spec["heading"], spec["steps"])), name=f"demo-{key}.png")
                # Assigning an ImageFile lets Django fill in width and height.
                image = Image(title=spec["title"], file=png)
                image._set_image_file_metadata()
                image.save()
                self.count("image")
            self.images[key] = image.pk
        for key, spec in DOCUMENTS.items():
            document = Document.objects.filter(title=spec["title"]).first()
            if document is None:
                document = Document(title=spec["title"])
                document.file.save(spec["filename"], ContentFile(handout_pdf(spec)), save=False)
                document._set_document_file_metadata()
                document.save()
                self.count("document")
            self.documents[key] = document.pk

    # --- service points and accounts -------------------------------------------------------------

    def service_points(self) -> None:
        for number, (kind, province, city, name) in enumerate(SERVICE_POINTS, start=1):
            _, created = ServicePoint.objects.get_or_create(
                code=f"SP{number:03d}",
                defaults={"kind": kind, "province": province, "city": city, "name": name},
            )
            if created:
                self.count("service point")

    def accounts(self, password: str) -> list[tuple[str, str, str]]:
        User = get_user_model()
        groups = {
            "trainer": [TRAINERS_GROUP],
            "editor": [EDITORS_GROUP],
            "coordinator": [COORDINATORS_GROUP],
            "admin": [MODERATORS_GROUP],
        }
        role_labels = {
            "trainer": "pelatih",
            "editor": "editor konten",
            "coordinator": "koordinator",
            "admin": "admin",
        }
        printed = []
        for account in ACCOUNTS:
            role = account["role"]
            user, created = User.objects.get_or_create(
                username=account["username"],
                defaults={
                    "email": account["email"],
                    "first_name": account["first_name"],
                    "last_name": account["last_name"],
                },
            )
            if created:
                self.count("user")
            is_admin = role == "admin"
            updates = []
            if user.is_superuser != is_admin or user.is_staff != is_admin:
                user.is_superuser = user.is_staff = is_admin
                updates += ["is_superuser", "is_staff"]
            if not user.is_active:
                user.is_active = True
                updates.append("is_active")
            # Only when it differs: a new hash on every run would make the seed change something.
            if not user.check_password(password):
                user.set_password(password)
                updates.append("password")
            if updates:
                user.save(update_fields=updates)
            for name in groups[role]:
                group, _ = Group.objects.get_or_create(name=name)
                user.groups.add(group)
            if role == "trainer":
                TrainerProfile.objects.get_or_create(
                    user=user,
                    defaults={
                        "full_name": account["full_name"],
                        "phone": account["phone"],
                        "service_point": ServicePoint.objects.get(code=account["service_point"]),
                    },
                )
            if role == "coordinator":
                profile, _ = CoordinatorProfile.objects.get_or_create(user=user)
                profile.service_points.add(*ServicePoint.objects.filter(code__in=account["service_points"]))
            printed.append((role_labels[role], account["username"], account["email"]))
        return printed

    # --- all -----------------------------------------------------------------------------------

    def run(self, password: str) -> list[tuple[str, str, str]]:
        self.service_points()
        self.media()
        home = self.home()
        course_index = self.page(
            home,
            CourseIndexPage,
            COURSE_INDEX["slug"],
            {"title": COURSE_INDEX["title"], "intro": COURSE_INDEX["intro"]},
        )
        course = self.course(course_index)
        guide_index = self.page(
            home,
            FacilitatorGuideIndexPage,
            GUIDE_INDEX["slug"],
            {"title": GUIDE_INDEX["title"], "intro": GUIDE_INDEX["intro"]},
        )
        self.guides(guide_index, course)
        return self.accounts(password)
