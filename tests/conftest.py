import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_caches():
    # Wagtail caches image renditions; a rendition cached by one test would point at another test's
    # (deleted) media folder when the database reuses the image id.
    yield
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture
def course(db):
    """A live course with 2 modules × 3 lessons, a quiz in each module's last lesson (tests.factories)."""
    from tests.factories import build_course

    return build_course()


@pytest.fixture
def trainer(db):
    from tests.factories import TrainerFactory

    return TrainerFactory()


@pytest.fixture
def editor(db):
    from tests.factories import EditorFactory

    return EditorFactory()


@pytest.fixture
def coordinator(db):
    from tests.factories import CoordinatorFactory

    return CoordinatorFactory()
