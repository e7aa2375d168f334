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

    return build_course(modules=2, lessons=6, quiz_lessons=(2, 5)).course


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


def initial_data_restore() -> None:
    """Put back what migrations create and a transactional test's flush removes: Wagtail's default
    locale, root page and root collection, and the groups with their permissions. Idempotent."""
    from importlib import import_module

    from django.apps import apps
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    # The flush gave content types new ids; the cache still holds the old ones.
    ContentType.objects.clear_cache()
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(
            instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page))
        )
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    import_module("courses.migrations.0002_groups_and_permissions").create_groups(apps, None)


@pytest.fixture(autouse=True)
def _transactional_initial_data(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        transactional = True
    if transactional:
        request.getfixturevalue("transactional_db")
        initial_data_restore()


# Slow tests whose result does not depend on the database engine: CI's second pass (PostgreSQL and
# Redis) leaves them out with -m "not once" after the first (SQLite) ran them. Browser journeys,
# `make run`, and the checks that start a fresh Python process per case.
ONCE = (
    "tests/e2e/",
    "tests/test_make_run.py",
    "tests/lms/test_base_url.py",
    "tests/lms/test_production_checks.py",
    "tests/courses/test_settings.py",
    "tests/certificates/test_rendering.py",
)


def pytest_collection_modifyitems(config, items):
    root = config.rootpath
    for item in items:
        if item.path.relative_to(root).as_posix().startswith(ONCE):
            item.add_marker(pytest.mark.once)


@pytest.hookimpl(trylast=True)  # after the session's fixtures, the test database among them, are gone
def pytest_sessionfinish(session, exitstatus):
    """The SQLite test database runs in WAL mode (as the embedded default does): once Django has
    deleted the file, its -wal and -shm companions are left behind. Remove them."""
    from pathlib import Path

    from django.conf import settings

    name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if not name or not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") or Path(name).exists():
        return  # not SQLite, in memory, or kept for --reuse-db
    for suffix in ("-wal", "-shm"):
        Path(f"{name}{suffix}").unlink(missing_ok=True)
