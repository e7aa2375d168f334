"""Names that Wagtail's own migrations write into the database in English and that editors and
coordinators read in the admin (the root page and collection in breadcrumbs and choosers, the
default moderation workflow and its task): in Indonesian, the default language of every screen.
Only the untouched English defaults are renamed; a name an administrator chose stays."""

from django.db import migrations

RENAMES = {
    # (app label, model, field, depth or None): {english: indonesian}
    ("wagtailcore", "Page", "title", 1): {"Root": "Akar situs"},
    ("wagtailcore", "Collection", "name", 1): {"Root": "Semua koleksi"},
    ("wagtailcore", "Workflow", "name", None): {"Moderators approval": "Persetujuan moderator"},
    ("wagtailcore", "Task", "name", None): {"Moderators approval": "Persetujuan moderator"},
}


def _rename(apps, reverse: bool) -> None:
    for (app_label, model_name, field, depth), names in RENAMES.items():
        model = apps.get_model(app_label, model_name)
        rows = model.objects.all() if depth is None else model.objects.filter(depth=depth)
        for english, indonesian in names.items():
            old, new = (indonesian, english) if reverse else (english, indonesian)
            changes = {field: new}
            if model_name == "Page":  # the admin shows the draft title of a page
                changes["draft_title"] = new
            rows.filter(**{field: old}).update(**changes)


def forwards(apps, schema_editor):
    _rename(apps, reverse=False)


def backwards(apps, schema_editor):
    _rename(apps, reverse=True)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0011_quiz_attempt_policy_and_draws"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
