"""Writes about people: create, update, deactivate and invite trainers.

Used by the coordinators' admin screens and the trainer import. Every function takes the acting
user as `by` (None for a management command run by the operator): a coordinator can only place
trainers in, and change trainers of, the service points of their scope
(`courses.people.scope.coordinator_scope`). Every change is written to Wagtail's audit log, on
the trainer's profile (the object of the trainers area, whose history view shows them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import get_active_log_context, log
from wagtail.log_actions import registry as log_registry

from courses.models import Enrolment, QuizAttemptGrant
from courses.people import selectors
from courses.people.invitations import Invitation, invitation_make
from courses.people.models import ServicePoint, TrainerProfile
from courses.people.names import person_name_clean
from courses.people.phones import phone_normalise
from courses.people.roles import COORDINATORS_GROUP, TRAINERS_GROUP
from courses.people.scope import coordinator_can_see_trainer, coordinator_scope
from courses.selectors import quiz_get
from courses.services import enrolments_create
from courses.tasks import trainer_invitations_send
from lms.queue import task_send_on_commit

User = get_user_model()

LOG_TRAINER_CREATE = "courses.trainer.create"
LOG_TRAINER_UPDATE = "courses.trainer.update"
LOG_TRAINER_DEACTIVATE = "courses.trainer.deactivate"
LOG_TRAINER_ACTIVATE = "courses.trainer.activate"
LOG_TRAINER_INVITE = "courses.trainer.invite"
LOG_COHORT_ENROL = "courses.cohort.enrol"
LOG_COORDINATOR_SCOPE = "courses.coordinator.scope"
LOG_QUIZ_ATTEMPTS_GRANT = "courses.quiz_attempts.grant"
LOG_ACTIONS = {
    LOG_TRAINER_CREATE: (_("Buat pelatih"), _("Akun pelatih dibuat")),
    LOG_TRAINER_UPDATE: (_("Ubah pelatih"), _("Data pelatih diubah")),
    LOG_TRAINER_DEACTIVATE: (_("Nonaktifkan pelatih"), _("Akun pelatih dinonaktifkan")),
    LOG_TRAINER_ACTIVATE: (_("Aktifkan pelatih"), _("Akun pelatih diaktifkan kembali")),
    LOG_TRAINER_INVITE: (_("Undang pelatih"), _("Undangan membuat kata sandi dikirim")),
    LOG_COHORT_ENROL: (_("Daftarkan angkatan"), _("Pelatih titik layanan didaftarkan ke kursus")),
    LOG_COORDINATOR_SCOPE: (_("Ubah wilayah koordinator"), _("Wilayah tanggung jawab koordinator diubah")),
    LOG_QUIZ_ATTEMPTS_GRANT: (_("Beri percobaan kuis tambahan"), _("Percobaan kuis tambahan diberikan")),
}

MESSAGE_EMAIL_INVALID = _("Alamat e-mail tidak valid.")
MESSAGE_EMAIL_REQUIRED = _("Alamat e-mail wajib diisi.")
MESSAGE_EMAIL_TAKEN_TRAINER = _("Alamat e-mail ini sudah dipakai pelatih lain.")
MESSAGE_EMAIL_TAKEN_OTHER = _("Alamat e-mail ini sudah dipakai akun lain yang bukan pelatih.")
MESSAGE_SERVICE_POINT_REQUIRED = _("Pilih titik layanan.")
MESSAGE_SERVICE_POINT_OUT_OF_SCOPE = _("Titik layanan ini di luar wilayah tanggung jawab Anda.")
MESSAGE_SERVICE_POINT_INACTIVE = _("Titik layanan ini tidak aktif.")
MESSAGE_TRAINER_OUT_OF_SCOPE = _("Pelatih ini di luar wilayah tanggung jawab Anda.")
MESSAGE_NOT_A_TRAINER = _("Akun ini bukan akun pelatih.")
MESSAGE_PRIVILEGED = _(
    "Akun ini juga memiliki hak akses lain (administrator, editor atau koordinator); "
    "hanya administrator yang dapat mengubahnya."
)
MESSAGE_INACTIVE = _("Akun pelatih ini tidak aktif.")
MESSAGE_COHORT_OUT_OF_SCOPE = _("Ada titik layanan di luar wilayah tanggung jawab Anda.")

_USERNAME_UNSAFE = re.compile(r"[^a-z0-9._-]+")


class TrainerInvalid(ValidationError):
    """What was asked cannot be done; `message_dict` maps field names ("full_name", "email",
    "phone", "service_point", or "__all__") to Indonesian messages. Nothing was written."""


# --- cleaning (pure, shared with the import) ---------------------------------------------------


def email_normalise(raw: str | None) -> str:
    """An e-mail address stripped and lower-cased, or ValidationError. No database."""
    email = (raw or "").strip().lower()
    if not email:
        raise ValidationError(MESSAGE_EMAIL_REQUIRED, code="required")
    try:
        validate_email(email)
        # One spelling of an international domain: "bücher.de", "xn--bcher-kva.de" and a "ü"
        # typed as "u" + a combining diaeresis are one mailbox, and must be one account.
        local, _at, domain = email.rpartition("@")
        email = f"{local}@{domain.encode('idna').decode('idna').lower()}"
        if len(email) > User._meta.get_field("email").max_length:
            raise ValidationError(MESSAGE_EMAIL_INVALID)
    except (ValidationError, UnicodeError):
        raise ValidationError(MESSAGE_EMAIL_INVALID, code="invalid") from None
    return email


def trainer_fields_clean(*, full_name: str, email: str, phone: str) -> tuple[dict[str, str], dict]:
    """(cleaned values, errors by field) for a trainer's name, e-mail and phone. Pure."""
    cleaned: dict[str, str] = {}
    errors: dict[str, list] = {}
    for field, rule, value in (
        ("full_name", lambda v: person_name_clean(name=v), full_name),
        ("email", email_normalise, email),
        ("phone", phone_normalise, phone),
    ):
        try:
            cleaned[field] = rule(value)
        except ValidationError as error:
            errors[field] = error.messages
    return cleaned, errors


def _service_point_check(*, service_point: ServicePoint | None, by, errors: dict) -> None:
    if service_point is None:
        errors["service_point"] = [MESSAGE_SERVICE_POINT_REQUIRED]
    elif by is not None and not coordinator_scope(by).includes_service_point(service_point.pk):
        errors["service_point"] = [MESSAGE_SERVICE_POINT_OUT_OF_SCOPE]
    elif not service_point.active:
        errors["service_point"] = [MESSAGE_SERVICE_POINT_INACTIVE]


def trainer_emails_lock() -> None:
    """Serialise the writes that give an account an e-mail (create, update, import) until the
    transaction ends, so that two of them at once cannot both find an address free. A row lock
    on the Trainers group (PostgreSQL; SQLite serialises writers itself). One query."""
    Group.objects.select_for_update().filter(name=TRAINERS_GROUP).first()


def _email_owner_check(*, email: str, user_pk: int | None, errors: dict) -> None:
    owner = User._default_manager.filter(email__iexact=email).exclude(pk=user_pk).first()
    if owner is not None:
        is_trainer = TrainerProfile.objects.filter(user=owner).exists()
        errors["email"] = [MESSAGE_EMAIL_TAKEN_TRAINER if is_trainer else MESSAGE_EMAIL_TAKEN_OTHER]


def _trainer_check(*, user, by) -> TrainerProfile:
    profile = TrainerProfile.objects.filter(user=user).select_related("service_point").first()
    if profile is None:
        raise TrainerInvalid({"__all__": [MESSAGE_NOT_A_TRAINER]})
    user.trainer_profile = profile
    if by is not None and not coordinator_can_see_trainer(by, user):
        raise TrainerInvalid({"__all__": [MESSAGE_TRAINER_OUT_OF_SCOPE]})
    if by is not None and not by.is_superuser and _has_other_rights(user):
        # The invitation link is shown to the coordinator and sets a password: on such an
        # account it would hand the coordinator an administrator's, editor's or coordinator's.
        raise TrainerInvalid({"__all__": [MESSAGE_PRIVILEGED]})
    return profile


def _has_other_rights(user) -> bool:
    return bool(accounts_with_other_rights([user]))


def accounts_with_other_rights(users) -> set[int]:
    """The ids of the accounts among `users` that can do more than a trainer: staff, superuser,
    another group or a permission of their own. Only an administrator may change those (two
    queries at most, whatever the number of users)."""
    ids = {user.pk for user in users}
    found = {user.pk for user in users if user.is_superuser or user.is_staff}
    rest = sorted(ids - found)
    if rest:
        found.update(
            User.groups.through.objects.filter(user_id__in=rest)
            .exclude(group__name=TRAINERS_GROUP)
            .values_list("user_id", flat=True)
        )
        rest = sorted(ids - found)
    if rest:
        found.update(
            User.user_permissions.through.objects.filter(user_id__in=rest).values_list("user_id", flat=True)
        )
    return found


def username_from_email(email: str) -> str:
    """A free username made from the e-mail's local part: "siti.aminah", then "siti.aminah2"…
    (one query)."""
    base = _USERNAME_UNSAFE.sub("", email.split("@", 1)[0].lower())[:140] or "pelatih"
    taken = set(User._default_manager.filter(username__istartswith=base).values_list("username", flat=True))
    taken = {name.lower() for name in taken}
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


# --- writes ------------------------------------------------------------------------------------


@transaction.atomic
def trainer_create(*, full_name: str, email: str, phone: str, service_point: ServicePoint | None, by) -> User:
    """Create a trainer's account and profile together: a username from the e-mail, the Trainers
    group and no usable password (the trainer sets one through the invitation, see
    `trainer_invite`). Raises TrainerInvalid with every field's problem and writes nothing.
    Not idempotent: a second call with the same e-mail is refused (the e-mail is taken)."""
    cleaned, errors = trainer_fields_clean(full_name=full_name, email=email, phone=phone)
    _service_point_check(service_point=service_point, by=by, errors=errors)
    if "email" not in errors:
        trainer_emails_lock()
        _email_owner_check(email=cleaned["email"], user_pk=None, errors=errors)
    if errors:
        raise TrainerInvalid(errors)
    user, profile = trainer_build(
        cleaned=cleaned, service_point=service_point, username=username_from_email(cleaned["email"])
    )
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Another request created an account since the checks above: with this e-mail (refused
        # as taken), or with the username chosen from another address (choose again).
        _email_owner_check(email=cleaned["email"], user_pk=None, errors=errors)
        if errors:
            raise TrainerInvalid(errors) from None
        user.username = username_from_email(cleaned["email"])
        user.save()
    user.groups.add(Group.objects.get_or_create(name=TRAINERS_GROUP)[0])
    profile.user = user
    profile.save()
    user.trainer_profile = profile
    log(instance=user.trainer_profile, action=LOG_TRAINER_CREATE, user=by)
    return user


def trainer_build(
    *, cleaned: dict[str, str], service_point: ServicePoint | None, username: str
) -> tuple[User, TrainerProfile]:
    """The unsaved account and profile of a new trainer from cleaned values (see
    `trainer_fields_clean`): THE shape of a new trainer, for `trainer_create` and the import's
    `trainers_bulk_write`. No usable password: the trainer sets one through the invitation."""
    user = User(username=username, email=cleaned["email"], first_name=cleaned["full_name"][:150])
    user.set_unusable_password()
    profile = TrainerProfile(
        user=user, full_name=cleaned["full_name"], phone=cleaned["phone"], service_point=service_point
    )
    return user, profile


@transaction.atomic
def trainer_update(
    *, user, full_name: str, email: str, phone: str, service_point: ServicePoint | None, by
) -> tuple[User, bool]:
    """Change a trainer's name, e-mail, phone and service point; returns (user, changed).
    Idempotent: the same values again change nothing and log nothing. A coordinator may only
    change their own trainers and move them between service points of their scope. Raises
    TrainerInvalid and writes nothing when a value is refused."""
    profile = _trainer_check(user=user, by=by)
    cleaned, errors = trainer_fields_clean(full_name=full_name, email=email, phone=phone)
    _service_point_check(service_point=service_point, by=by, errors=errors)
    if "email" not in errors:
        if cleaned["email"] != user.email:
            trainer_emails_lock()
        _email_owner_check(email=cleaned["email"], user_pk=user.pk, errors=errors)
    if errors:
        raise TrainerInvalid(errors)
    service_point_id = service_point.pk if service_point is not None else None
    changed = (
        profile.full_name != cleaned["full_name"]
        or profile.phone != cleaned["phone"]
        or profile.service_point_id != service_point_id
        or user.email != cleaned["email"]
    )
    if not changed:
        return user, False
    profile.full_name = cleaned["full_name"]
    profile.phone = cleaned["phone"]
    profile.service_point = service_point
    profile.save(update_fields=["full_name", "phone", "service_point"])
    user.email = cleaned["email"]
    user.first_name = cleaned["full_name"][:150]
    user.save(update_fields=["email", "first_name"])
    log(instance=profile, action=LOG_TRAINER_UPDATE, user=by)
    return user, True


# How many attempts one grant may add: a coordinator gives a few more, not an unlimited quiz.
QUIZ_GRANT_MAX = 10


@transaction.atomic
def quiz_attempts_grant(*, enrolment: Enrolment, quiz_id: str, extra, reason: str, by) -> QuizAttemptGrant:
    """Give a trainer `extra` more attempts at one quiz of their course (beyond the quiz's limit),
    for the reason given, written to the audit log on the trainer's profile. Not idempotent: each
    call adds attempts. Raises TrainerInvalid (nothing stored) for a trainer outside `by`'s
    scope, a number outside 1..QUIZ_GRANT_MAX, an empty reason, or a quiz not of the course."""
    locked = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course", "trainer")
        .get(pk=enrolment.pk)
    )
    profile = _trainer_check(user=locked.trainer, by=by)
    reason = " ".join(str(reason or "").split())
    errors: dict[str, list] = {}
    if isinstance(extra, bool) or not isinstance(extra, int) or not 1 <= extra <= QUIZ_GRANT_MAX:
        errors["extra"] = [_("Isi antara 1 dan %(max)d percobaan.") % {"max": QUIZ_GRANT_MAX}]
    if not reason:
        errors["reason"] = [_("Tuliskan alasannya.")]
    elif len(reason) > 300 or "\x00" in reason:
        errors["reason"] = [_("Alasan paling panjang 300 karakter, tanpa karakter kendali.")]
    found = quiz_get(quiz_id=quiz_id)
    if found is None or not found[1].path.startswith(locked.course.path):
        errors["quiz_id"] = [_("Kuis ini tidak ada di kursus pelatih.")]
    if errors:
        raise TrainerInvalid(errors)
    grant = QuizAttemptGrant.objects.create(
        enrolment=locked, quiz_id=found[0].id, extra=extra, reason=reason, granted_by=by
    )
    log(
        instance=profile,
        action=LOG_QUIZ_ATTEMPTS_GRANT,
        user=by,
        data={
            "course": locked.course.title,
            "quiz": found[0].title,
            "quiz_id": found[0].id,
            "extra": extra,
            "reason": reason,
        },
    )
    return grant


@transaction.atomic
def trainer_deactivate(*, user, by) -> bool:
    """Close a trainer's account: no sign-in, and every API token ends (the receiver on
    `is_active` in courses.receivers). Progress and certificates stay. Idempotent: returns
    False when the account was already inactive."""
    profile = _trainer_check(user=user, by=by)
    if not user.is_active:
        return False
    user.is_active = False
    user.save(update_fields=["is_active"])
    log(instance=profile, action=LOG_TRAINER_DEACTIVATE, user=by)
    return True


@transaction.atomic
def trainer_activate(*, user, by) -> bool:
    """Open a deactivated trainer's account again. Idempotent: False when it was active."""
    profile = _trainer_check(user=user, by=by)
    if user.is_active:
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    log(instance=profile, action=LOG_TRAINER_ACTIVATE, user=by)
    return True


@transaction.atomic
def trainer_invite(*, user, by) -> Invitation:
    """Make a one-time link with which the trainer sets a password (valid for
    TRAINER_INVITATION_DAYS days) and e-mail a link after commit. Returns the invitation, so
    that the screen can show the link and its QR code. Each call makes a new link; all of them
    end once the trainer sets a password. Raises TrainerInvalid for an inactive account."""
    profile = _trainer_check(user=user, by=by)
    if not user.is_active:
        raise TrainerInvalid({"__all__": [MESSAGE_INACTIVE]})
    log(instance=profile, action=LOG_TRAINER_INVITE, user=by)
    user_pk = user.pk
    task_send_on_commit(trainer_invitations_send, [user_pk])
    return invitation_make(user=user)


@transaction.atomic
def trainers_invite(users: Iterable, by) -> int:
    """Invite many trainers at once (the import): one audit entry each and one queued task for
    all the e-mails, after commit. Inactive accounts and accounts outside `by`'s scope are
    skipped. Returns how many were invited."""
    users = list(users)
    scope = coordinator_scope(by) if by is not None else None
    user_pks: list[int] = []
    invited: list[TrainerProfile] = []
    profiles = {
        profile.user_id: profile
        for profile in TrainerProfile.objects.filter(user__in=[user.pk for user in users])
    }
    for user in users:
        profile = profiles.get(user.pk)
        if profile is None or not user.is_active:
            continue
        if scope is not None and not scope.includes_service_point(profile.service_point_id):
            continue
        invited.append(profile)
        user_pks.append(user.pk)
    _log_many(instances=invited, action=LOG_TRAINER_INVITE, by=by)
    if user_pks:
        task_send_on_commit(trainer_invitations_send, user_pks)
    return len(user_pks)


# --- the import's bulk path --------------------------------------------------------------------


def usernames_from_emails(emails: Iterable[str]) -> dict[str, str]:
    """`username_from_email` for many addresses at once: {email: free username}, distinct from each
    other too. One query, plus one per local part that is already taken."""
    bases = {
        email: _USERNAME_UNSAFE.sub("", email.split("@", 1)[0].lower())[:140] or "pelatih" for email in emails
    }
    taken = set(
        User._default_manager.annotate(username_key=Lower("username"))
        .filter(username_key__in=sorted(set(bases.values())))
        .values_list("username_key", flat=True)
    )
    numbered: dict[str, set[str]] = {}
    usernames: dict[str, str] = {}
    for email, base in bases.items():
        if base not in taken:
            username = base
        else:
            if base not in numbered:
                numbered[base] = {
                    name.lower()
                    for name in User._default_manager.filter(username__istartswith=base).values_list(
                        "username", flat=True
                    )
                }
            used = numbered[base]
            number = 2
            while f"{base}{number}" in used or f"{base}{number}" in taken:
                number += 1
            username = f"{base}{number}"
        taken.add(username)
        numbered.get(base, set()).add(username)
        usernames[email] = username
    return usernames


@transaction.atomic
def trainers_bulk_write(
    *,
    new: list[tuple[dict[str, str], ServicePoint]],
    changed: list[tuple[User, dict[str, str], ServicePoint]],
    by,
) -> list[User]:
    """Create and update many trainers in a few queries (the import of a whole spreadsheet).
    `new` holds (cleaned values, service point) of accounts to create as `trainer_build` shapes
    them; `changed` holds (user with its profile loaded, cleaned values, service point). The
    caller has already checked every value, the scope and the e-mail owners inside the same
    transaction with the rows locked (`courses.people.imports.checks.sheet_check`). One audit
    entry per trainer. Returns the created users. Not idempotent: the caller's check is."""
    usernames = usernames_from_emails(cleaned["email"] for cleaned, _sp in new)
    built = [
        trainer_build(cleaned=cleaned, service_point=service_point, username=usernames[cleaned["email"]])
        for cleaned, service_point in new
    ]
    users = User._default_manager.bulk_create([user for user, _profile in built], batch_size=500)
    if any(user.pk is None for user in users):  # a database that returns no ids from bulk inserts
        ids = dict(
            User._default_manager.filter(username__in=[user.username for user in users]).values_list(
                "username", "pk"
            )
        )
        for user in users:
            user.pk = ids[user.username]
    for user, profile in built:
        profile.user = user
    TrainerProfile.objects.bulk_create([profile for _user, profile in built], batch_size=500)
    trainers_group = Group.objects.get_or_create(name=TRAINERS_GROUP)[0]
    membership = User.groups.through
    membership.objects.bulk_create(
        [membership(user_id=user.pk, group_id=trainers_group.pk) for user in users], batch_size=500
    )
    _log_many(instances=[user.trainer_profile for user in users], action=LOG_TRAINER_CREATE, by=by)

    profiles, accounts = [], []
    for user, cleaned, service_point in changed:
        profile = user.trainer_profile
        profile.full_name = cleaned["full_name"]
        profile.phone = cleaned["phone"]
        profile.service_point = service_point
        user.email = cleaned["email"]
        user.first_name = cleaned["full_name"][:150]
        profiles.append(profile)
        accounts.append(user)
    TrainerProfile.objects.bulk_update(profiles, ["full_name", "phone", "service_point"], batch_size=500)
    User._default_manager.bulk_update(accounts, ["email", "first_name"], batch_size=500)
    _log_many(instances=profiles, action=LOG_TRAINER_UPDATE, by=by)
    return users


def _log_many(*, instances: list, action: str, by) -> None:
    """What `wagtail.log_actions.log` writes for each instance, in one INSERT per 500 entries:
    `log()` validates each entry with two queries and saves it with a third, 15,000 queries for an
    import of 5,000 trainers. The action must be registered (see LOG_ACTIONS)."""
    if not instances:
        return
    log_model = log_registry.get_log_model_for_model(type(instances[0]))
    if log_model is None:
        return
    context = get_active_log_context()
    content_type = ContentType.objects.get_for_model(type(instances[0]), for_concrete_model=False)
    now = timezone.now()
    log_model.objects.bulk_create(
        [
            log_model(
                content_type=content_type,
                object_id=str(instance.pk),
                label=log_model.objects.get_instance_title(instance),
                action=action,
                timestamp=now,
                data={},
                user=by or context.user,
                uuid=context.uuid,
            )
            for instance in instances
        ],
        batch_size=500,
    )


@dataclass(frozen=True)
class CohortResult:
    enrolled: int
    already_enrolled: int


@transaction.atomic
def cohort_enrol(*, course, service_points: Iterable[ServicePoint], by) -> CohortResult:
    """Enrol every active trainer of the service points in `course`, in one transaction, by the
    rule of `courses.services.enrolments_create` (raises its EnrolmentClosed for a closed
    course). Idempotent: trainers already enrolled stay as they are, and a second call enrols
    nobody. Raises TrainerInvalid, writing nothing, when a service point is outside `by`'s scope.
    One audit entry on the course."""
    points = list(service_points)
    scope = coordinator_scope(by)
    if any(not scope.includes_service_point(point.pk) for point in points):
        raise TrainerInvalid({"service_points": [MESSAGE_COHORT_OUT_OF_SCOPE]})
    preview = selectors.cohort_preview(
        user=by, course=course, service_point_ids=[point.pk for point in points]
    )
    enrolled = enrolments_create(trainer_ids=preview.trainer_ids, course=course) if preview.trainer_ids else 0
    log(
        instance=course,
        action=LOG_COHORT_ENROL,
        user=by,
        data={"service_points": [point.code for point in points], "enrolled": enrolled},
    )
    return CohortResult(enrolled=enrolled, already_enrolled=preview.total - enrolled)


def coordinator_profile_saved(*, profile, by) -> None:
    """After an administrator saved a coordinator's scope: the account is in the Coordinators
    group (the scope rule asks for both) and the change is in the audit log. Idempotent."""
    profile.user.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    log(instance=profile, action=LOG_COORDINATOR_SCOPE, user=by)
