"""The names Wagtail's migrations write in English are Indonesian once the project's migrations ran."""

import pytest
from wagtail.models import Collection, Page, Task, Workflow

pytestmark = pytest.mark.django_db


def test_root_page_and_collection_are_named_in_indonesian():
    assert Page.objects.get(depth=1).title == "Akar situs"
    assert Page.objects.get(depth=1).draft_title == "Akar situs"
    assert Collection.objects.get(depth=1).name == "Semua koleksi"


def test_default_moderation_workflow_is_named_in_indonesian():
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()
    assert Workflow.objects.filter(name="Persetujuan moderator").exists()
