"""Create the Trainers, Content editors and Coordinators groups with their permissions."""

from django.db import migrations

TRAINERS = "Trainers"
EDITORS = "Content editors"
COORDINATORS = "Coordinators"

EDITOR_MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "change_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "change_document"),
    ("wagtaildocs", "document", "choose_document"),
]
# Editors may create and edit pages but not publish: Wagtail's moderation workflow sends their
# submissions to the Moderators group.
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
# The names Django and Wagtail give these permissions when they create them after migrating.
PERMISSION_NAMES = {
    "access_admin": "Can access Wagtail admin",
    "add_image": "Can add image",
    "change_image": "Can change image",
    "choose_image": "Can choose image",
    "add_document": "Can add document",
    "change_document": "Can change document",
    "choose_document": "Can choose document",
    "add_page": "Can add page",
    "change_page": "Can change page",
}
COORDINATOR_MODEL_PERMISSIONS = [("wagtailadmin", "admin", "access_admin")]


def _permission(apps, app_label, model, codename):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": PERMISSION_NAMES.get(codename, codename.replace("_", " "))}
    )
    return permission


def _collection_permissions(apps, group, items):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    root_collection = Collection.objects.filter(depth=1).first()
    for app_label, model, codename in items:
        permission = _permission(apps, app_label, model, codename)
        if app_label in {"wagtailimages", "wagtaildocs"} and root_collection is not None:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
        else:
            group.permissions.add(permission)


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    Group.objects.get_or_create(name=TRAINERS)

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    _collection_permissions(apps, editors, EDITOR_MODEL_PERMISSIONS)
    root = Page.objects.filter(depth=1).first()
    if root is not None:
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=editors, page=root, permission=_permission(apps, "wagtailcore", "page", codename)
            )

    coordinators, _ = Group.objects.get_or_create(name=COORDINATORS)
    _collection_permissions(apps, coordinators, COORDINATOR_MODEL_PERMISSIONS)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[TRAINERS, EDITORS, COORDINATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
