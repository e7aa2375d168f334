import pytest
from django.core.cache import cache

from tests.factories import EnrolmentFactory, ServicePointFactory, TrainerFactory, certified_course


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def point(db):
    return ServicePointFactory(code="SP042", name="UPT BP2MI Surabaya")


@pytest.fixture
def course_page(db):
    return certified_course()


@pytest.fixture
def completed_trainer(db, point, course_page):
    user = TrainerFactory(profile__full_name="Siti Nurhaliza Rahmawati", service_point=point)
    EnrolmentFactory(trainer=user, course=course_page, completed=True)
    return user
