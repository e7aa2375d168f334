import pytest
from django.core.cache import cache

from tests.certificates import factories


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def point(db):
    return factories.service_point(code="SP042", name="UPT BP2MI Surabaya")


@pytest.fixture
def course_page(db):
    return factories.course()


@pytest.fixture
def completed_trainer(db, point, course_page):
    user = factories.trainer(full_name="Siti Nurhaliza Rahmawati", point=point)
    factories.complete(user, course_page)
    return user
