"""Creating, changing, deactivating and inviting trainers (courses.people.services)."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from wagtail.models import APIToken, ModelLogEntry

from courses.models import TrainerProfile
from courses.people.invitations import invitation_token_generator
from courses.people.phones import phone_display, phone_normalise
from courses.people.roles import TRAINERS_GROUP
from courses.people.services import (
    TrainerInvalid,
    trainer_activate,
    trainer_create,
    trainer_deactivate,
    trainer_invite,
    trainer_update,
    trainers_invite,
    username_from_email,
)
from tests.factories import CoordinatorFactory, EditorFactory, ServicePointFactory, TrainerFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-7890", "6281234567890"),
        ("+62 812 3456 7890", "6281234567890"),
        ("62812 34567890", "6281234567890"),
        ("(021) 555 1234", "62215551234"),
        ("6281234567890", "6281234567890"),
        ("", ""),
        ("  ", ""),
    ],
)
def test_phone_numbers_are_normalised_to_digits_with_the_country_code(raw, expected):
    assert phone_normalise(raw) == expected
    assert phone_normalise(expected) == expected


@pytest.mark.parametrize(
    "raw", ["12345", "+1 202 555 0100", "0812", "08123456789012345", "0812abc4567", "٠٨١٢٣٤٥٦٧٨٩٠"]
)
def test_bad_phone_numbers_are_refused_in_indonesian(raw):
    with pytest.raises(ValidationError) as error:
        phone_normalise(raw)
    assert "Nomor telepon tidak valid" in error.value.messages[0]


def test_phone_display_groups_digits():
    assert phone_display("6281234567890") == "0812-3456-7890"


def test_creating_a_trainer_makes_account_profile_group_and_log_in_one_go():
    point = ServicePointFactory(code="SP001")
    coordinator = CoordinatorFactory(service_points=[point])
    user = trainer_create(
        full_name="  Siti   Aminah ",
        email="Siti.Aminah@Example.ORG",
        phone="0812 3456 7890",
        service_point=point,
        by=coordinator,
    )
    user.refresh_from_db()
    assert user.username == "siti.aminah"
    assert user.email == "siti.aminah@example.org"
    assert not user.has_usable_password()
    assert user.groups.filter(name=TRAINERS_GROUP).exists()
    assert user.trainer_profile.full_name == "Siti Aminah"
    assert user.trainer_profile.phone == "6281234567890"
    assert user.trainer_profile.service_point == point
    entry = ModelLogEntry.objects.get(object_id=str(user.trainer_profile.pk), action="courses.trainer.create")
    assert entry.user_id == coordinator.pk


def test_usernames_from_the_same_local_part_stay_unique():
    point = ServicePointFactory()
    first = trainer_create(
        full_name="Budi Santoso", email="budi@a.example", phone="", service_point=point, by=None
    )
    second = trainer_create(
        full_name="Budi Santosa", email="budi@b.example", phone="", service_point=point, by=None
    )
    assert first.username == "budi"
    assert second.username == "budi2"
    assert username_from_email("budi@c.example") == "budi3"


def test_create_with_bad_input_names_every_field_and_writes_nothing():
    point = ServicePointFactory()
    users_before = User.objects.count()
    with pytest.raises(TrainerInvalid) as error:
        trainer_create(full_name="R2-D2 <b>", email="bukan-email", phone="12", service_point=None, by=None)
    assert set(error.value.message_dict) == {"full_name", "email", "phone", "service_point"}
    assert "Alamat e-mail tidak valid." in error.value.message_dict["email"]
    assert User.objects.count() == users_before
    assert not TrainerProfile.objects.exists()
    assert point.trainers.count() == 0


def test_an_email_in_use_is_refused_case_insensitively_and_says_by_whom():
    TrainerFactory(email="ada@example.org")
    EditorFactory(email="editor@example.org")
    point = ServicePointFactory()
    with pytest.raises(TrainerInvalid) as error:
        trainer_create(
            full_name="Ada Lovelace", email="ADA@example.org", phone="", service_point=point, by=None
        )
    assert error.value.message_dict["email"] == ["Alamat e-mail ini sudah dipakai pelatih lain."]
    with pytest.raises(TrainerInvalid) as error:
        trainer_create(
            full_name="Ada Lovelace", email="Editor@example.org", phone="", service_point=point, by=None
        )
    assert "bukan pelatih" in error.value.message_dict["email"][0]


def test_a_coordinator_cannot_place_a_trainer_outside_their_scope():
    mine, other = ServicePointFactory(code="SP001"), ServicePointFactory(code="SP002")
    coordinator = CoordinatorFactory(service_points=[mine])
    with pytest.raises(TrainerInvalid) as error:
        trainer_create(
            full_name="Ani Lestari", email="ani@example.org", phone="", service_point=other, by=coordinator
        )
    assert "di luar wilayah" in error.value.message_dict["service_point"][0]
    assert not User.objects.filter(email="ani@example.org").exists()


def test_an_editor_cannot_create_trainers():
    point = ServicePointFactory()
    with pytest.raises(TrainerInvalid):
        trainer_create(
            full_name="Ani Lestari",
            email="ani@example.org",
            phone="",
            service_point=point,
            by=EditorFactory(),
        )


def test_updating_a_trainer_reports_whether_anything_changed_and_logs_changes_only():
    mine, also_mine = ServicePointFactory(code="SP001"), ServicePointFactory(code="SP003")
    coordinator = CoordinatorFactory(service_points=[mine, also_mine])
    user = trainer_create(
        full_name="Siti Aminah", email="siti@example.org", phone="081234567890", service_point=mine, by=None
    )
    same = {
        "full_name": "Siti Aminah",
        "email": "SITI@example.org",
        "phone": "+62 812 3456 7890",
        "service_point": mine,
    }
    assert trainer_update(user=user, by=coordinator, **same) == (user, False)
    changed = {**same, "full_name": "Siti Aminah Putri", "service_point": also_mine}
    assert trainer_update(user=user, by=coordinator, **changed)[1] is True
    user.refresh_from_db()
    assert user.trainer_profile.full_name == "Siti Aminah Putri"
    assert user.trainer_profile.service_point == also_mine
    assert (
        ModelLogEntry.objects.filter(
            object_id=str(user.trainer_profile.pk), action="courses.trainer.update"
        ).count()
        == 1
    )


def test_a_coordinator_cannot_update_or_move_someone_elses_trainer():
    mine, other = ServicePointFactory(code="SP001"), ServicePointFactory(code="SP002")
    coordinator = CoordinatorFactory(service_points=[mine])
    foreign = TrainerFactory(service_point=other)
    with pytest.raises(TrainerInvalid):
        trainer_update(
            user=foreign,
            full_name="Nama Baru",
            email=foreign.email,
            phone="",
            service_point=mine,
            by=coordinator,
        )
    own = TrainerFactory(service_point=mine)
    with pytest.raises(TrainerInvalid):
        trainer_update(
            user=own, full_name="Nama Baru", email=own.email, phone="", service_point=other, by=coordinator
        )
    foreign.trainer_profile.refresh_from_db()
    own.trainer_profile.refresh_from_db()
    assert foreign.trainer_profile.full_name != "Nama Baru"
    assert own.trainer_profile.service_point == mine


def test_deactivating_ends_api_tokens_and_is_idempotent():
    point = ServicePointFactory()
    trainer = TrainerFactory(service_point=point)
    coordinator = CoordinatorFactory(service_points=[point])
    token, _plaintext = APIToken.create_token(user=trainer, name="ponsel")
    assert trainer_deactivate(user=trainer, by=coordinator) is True
    assert trainer_deactivate(user=trainer, by=coordinator) is False
    trainer.refresh_from_db()
    assert not trainer.is_active
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert trainer_activate(user=trainer, by=coordinator) is True
    trainer.refresh_from_db()
    assert trainer.is_active


def test_deactivating_a_trainer_out_of_scope_is_refused():
    trainer = TrainerFactory(service_point=ServicePointFactory(code="SP002"))
    coordinator = CoordinatorFactory(service_points=[ServicePointFactory(code="SP001")])
    with pytest.raises(TrainerInvalid):
        trainer_deactivate(user=trainer, by=coordinator)
    trainer.refresh_from_db()
    assert trainer.is_active


def test_an_invitation_link_sets_the_password_once(django_capture_on_commit_callbacks):
    point = ServicePointFactory()
    user = trainer_create(
        full_name="Siti Aminah", email="siti@example.org", phone="", service_point=point, by=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitation = trainer_invite(user=user, by=None)
    assert len(mail.outbox) == 1
    assert "/accounts/invitation/" in mail.outbox[0].body
    token = invitation.path.rstrip("/").rsplit("/", 1)[1]
    assert invitation_token_generator.check_token(user, token)
    user.set_password("kata-sandi-baru-123")
    user.save()
    assert not invitation_token_generator.check_token(user, token)


def test_an_invitation_expires_after_the_configured_days():
    point = ServicePointFactory()
    user = trainer_create(
        full_name="Siti Aminah", email="siti@example.org", phone="", service_point=point, by=None
    )
    token = invitation_token_generator.make_token(user)
    generator = type(invitation_token_generator)()
    with override_settings(TRAINER_INVITATION_DAYS=7, PASSWORD_RESET_TIMEOUT=60):
        generator._now = lambda: datetime.now() + timedelta(days=6)
        assert generator.check_token(user, token)
        generator._now = lambda: datetime.now() + timedelta(days=7, minutes=1)
        assert not generator.check_token(user, token)


def test_inviting_many_queues_one_task_and_skips_out_of_scope(django_capture_on_commit_callbacks):
    mine, other = ServicePointFactory(code="SP001"), ServicePointFactory(code="SP002")
    coordinator = CoordinatorFactory(service_points=[mine])
    users = [
        trainer_create(
            full_name=f"Pelatih {name}", email=f"{name}@example.org", phone="", service_point=point, by=None
        )
        for name, point in (("satu", mine), ("dua", mine), ("tiga", other))
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert trainers_invite(users, by=coordinator) == 2
    assert len(callbacks) == 1
    assert sorted(message.to[0] for message in mail.outbox) == ["dua@example.org", "satu@example.org"]


@pytest.mark.parametrize("privilege", ["superuser", "staff", "editor", "coordinator"])
def test_a_coordinator_cannot_invite_change_or_close_an_account_with_more_than_trainer_rights(privilege):
    """An invitation link is shown to the coordinator and sets a password: on an account that is
    also an administrator, an editor or a coordinator it would hand the coordinator that account."""
    point = ServicePointFactory()
    trainer = TrainerFactory(service_point=point, email="ganda@example.org")
    if privilege == "superuser":
        trainer.is_superuser = True
        trainer.save()
    elif privilege == "staff":
        trainer.is_staff = True
        trainer.save()
    else:
        other = EditorFactory() if privilege == "editor" else CoordinatorFactory()
        trainer.groups.add(*other.groups.all())
    coordinator = CoordinatorFactory(service_points=[point])
    for action in (
        lambda: trainer_invite(user=trainer, by=coordinator),
        lambda: trainer_deactivate(user=trainer, by=coordinator),
        lambda: trainer_update(
            user=trainer,
            full_name="Nama Baru",
            email="penyerang@example.org",
            phone="",
            service_point=point,
            by=coordinator,
        ),
    ):
        with pytest.raises(TrainerInvalid) as error:
            action()
        assert "hak akses lain" in " ".join(error.value.messages)
    trainer.refresh_from_db()
    assert trainer.is_active
    assert trainer.email == "ganda@example.org"
    assert not ModelLogEntry.objects.filter(action="courses.trainer.invite").exists()
    # an administrator may still act on the account
    admin = User.objects.create_superuser("admin-uji", "admin-uji@example.org", "x")
    assert trainer_invite(user=trainer, by=admin).path


def test_a_username_taken_at_the_same_moment_gives_another_instead_of_a_crash(monkeypatch):
    """Two coordinators create "budi@a.org" and "budi@b.org" at once: both requests chose the
    username "budi" before either was saved. The second must get "budi2", not a database error."""
    from courses.people import services

    point = ServicePointFactory()
    TrainerFactory(username="budi", email="budi@a.org", service_point=point)
    chosen = iter(["budi"])  # what the second request had chosen before the first one committed
    real = services.username_from_email
    monkeypatch.setattr(services, "username_from_email", lambda email: next(chosen, None) or real(email))
    user = trainer_create(full_name="Budi Dua", email="budi@b.org", phone="", service_point=point, by=None)
    assert user.username == "budi2"
    assert User.objects.filter(email__iexact="budi@b.org").count() == 1


def test_an_email_taken_at_the_same_moment_is_refused_instead_of_a_crash(monkeypatch):
    """Two coordinators create the same trainer at once: the second request's e-mail check ran
    before the first one committed. It must be refused as taken, with no second account."""
    from courses.people import services

    point = ServicePointFactory()
    TrainerFactory(username="sari", email="sari@example.org", service_point=point)
    checks = iter([lambda **kwargs: None])  # the second request's check saw no owner yet
    real = services._email_owner_check
    monkeypatch.setattr(services, "_email_owner_check", lambda **kwargs: next(checks, real)(**kwargs))
    monkeypatch.setattr(services, "username_from_email", lambda email: "sari")
    with pytest.raises(TrainerInvalid) as error:
        trainer_create(
            full_name="Sari Dua", email="SARI@example.org ", phone="", service_point=point, by=None
        )
    assert error.value.message_dict["email"] == ["Alamat e-mail ini sudah dipakai pelatih lain."]
    assert User.objects.filter(email__iexact="sari@example.org").count() == 1


@pytest.mark.parametrize(
    "spelling",
    [
        "IDN@BÜCHER.DE",
        "idn@xn--bcher-kva.de",  # the same domain as the DNS writes it
        "idn@bu\u0308cher.de",  # "ü" typed as "u" and a combining diaeresis
        " idn@Bücher.de ",
    ],
)
def test_every_spelling_of_an_international_domain_is_one_address(spelling):
    point = ServicePointFactory()
    trainer_create(full_name="Idna Satu", email="idn@bücher.de", phone="", service_point=point, by=None)
    with pytest.raises(TrainerInvalid) as error:
        trainer_create(full_name="Idna Dua", email=spelling, phone="", service_point=point, by=None)
    assert "email" in error.value.message_dict
    assert TrainerProfile.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_trainers_given_one_e_mail_at_the_same_moment_keep_distinct_addresses():
    """Two coordinators change two trainers to the same e-mail at once: the second waits for the
    first to commit, then finds the address taken (PostgreSQL; SQLite serialises writers)."""
    import threading
    import time

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    point = ServicePointFactory()
    first, second = TrainerFactory(service_point=point), TrainerFactory(service_point=point)
    started, outcome = threading.Event(), {}

    def change_first():
        try:
            with transaction.atomic():
                trainer_update(
                    user=first,
                    full_name="Satu Nama",
                    email="sama@example.org",
                    phone="",
                    service_point=point,
                    by=None,
                )
                started.set()
                time.sleep(0.5)  # still uncommitted while the second request checks
        finally:
            started.set()
            connection.close()

    thread = threading.Thread(target=change_first)
    thread.start()
    started.wait(5)
    try:
        trainer_update(
            user=second,
            full_name="Dua Nama",
            email="SAMA@example.org",
            phone="",
            service_point=point,
            by=None,
        )
    except TrainerInvalid as error:
        outcome["refused"] = error.message_dict["email"]
    thread.join()
    assert outcome.get("refused") == ["Alamat e-mail ini sudah dipakai pelatih lain."]
    assert User.objects.filter(email__iexact="sama@example.org").count() == 1
