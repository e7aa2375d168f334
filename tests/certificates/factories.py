"""Builders for the certificate tests (courses built directly with the page models)."""

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page

from certificates.services import certificate_template_ensure_default
from courses.models import (
    CoordinatorProfile,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    HomePage,
    ServicePoint,
    TrainerProfile,
)
from courses.people.roles import COORDINATORS_GROUP, EDITORS_GROUP

User = get_user_model()
_seq = itertools.count(1)


def service_point(code: str | None = None, name: str | None = None) -> ServicePoint:
    n = next(_seq)
    code = code or f"SP{n:03d}"
    point, _ = ServicePoint.objects.get_or_create(
        code=code,
        defaults={"name": name or f"UPT BP2MI Kota {n}", "province": "Jawa Timur", "city": "Surabaya"},
    )
    return point


def course(
    *, title: str = "Pendampingan Pendaftaran Kartu Prakerja", auto_issue: bool = False, template=None
) -> CoursePage:
    root = Page.objects.get(depth=1)
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="Beranda", slug=f"beranda-{next(_seq)}"))
    index = CourseIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=CourseIndexPage(title="Kursus", slug="kursus"))
    n = next(_seq)
    page = CoursePage(
        title=title,
        slug=f"kursus-{n}",
        summary="Ringkasan",
        estimated_hours=Decimal("12.0"),
        auto_issue_certificate=auto_issue,
        certificate_template=template if template is not None else certificate_template_ensure_default(),
    )
    index.add_child(instance=page)
    return page


def trainer(*, full_name: str | None = None, point: ServicePoint | None = None, email: str | None = None):
    n = next(_seq)
    user = User.objects.create_user(
        username=f"pelatih{n}", email=email if email is not None else f"pelatih{n}@example.org", password="x"
    )
    TrainerProfile.objects.create(
        user=user, full_name=full_name or f"Pelatih Nomor {n}", service_point=point or service_point()
    )
    return user


def complete(user, course_page: CoursePage) -> Enrolment:
    enrolment, _ = Enrolment.objects.update_or_create(
        trainer=user, course=course_page, defaults={"completed_at": timezone.now()}
    )
    return enrolment


def coordinator(*, points: list[ServicePoint] | None = None, national: bool = False):
    n = next(_seq)
    user = User.objects.create_user(username=f"koordinator{n}", email=f"k{n}@example.org", password="x")
    group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    user.groups.add(group)
    profile = CoordinatorProfile.objects.create(user=user, is_national=national)
    if points:
        profile.service_points.set(points)
    return user


def editor():
    n = next(_seq)
    user = User.objects.create_user(username=f"editor{n}", password="x", is_staff=True)
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    user.groups.add(group)
    return user
