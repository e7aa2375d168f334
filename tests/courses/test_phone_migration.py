"""The migration that brings trainers' stored phone numbers to the one normal form keeps every
profile and changes only numbers it can read."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("courses", "0007_trainer_profile_names")]
AFTER = [("courses", "0008_trainer_phone_normal_form")]


@pytest.mark.django_db(transaction=True)
def test_stored_phone_numbers_are_normalised_and_unreadable_ones_kept():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    User = old_apps.get_model("auth", "User")
    TrainerProfile = old_apps.get_model("courses", "TrainerProfile")
    stored = {
        "a": "+6281234567890",  # the profile form's old form
        "b": "+62 812 0000 0001",  # the demo seed's, as typed
        "c": "0813-1111-2222",
        "d": "bukan nomor",  # left for a coordinator to correct
        "e": "",
    }
    for username, phone in stored.items():
        user = User.objects.create(username=f"migrasi-{username}")
        TrainerProfile.objects.create(user=user, full_name=f"Pelatih {username}", phone=phone)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    phones = dict(
        new_apps.get_model("courses", "TrainerProfile")
        .objects.filter(user__username__startswith="migrasi-")
        .values_list("user__username", "phone")
    )

    assert phones == {
        "migrasi-a": "6281234567890",
        "migrasi-b": "6281200000001",
        "migrasi-c": "6281311112222",
        "migrasi-d": "bukan nomor",
        "migrasi-e": "",
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("courses"))
