"""Checking a whole trainer spreadsheet before anything is written: every problem by row and column,
and what each good row would do (create, update or leave unchanged a trainer).

The rules for a value are the ones of the trainer form (`courses.people.services.trainer_fields_clean`:
the names rule, the phone rule, the e-mail rule) and of the scope (`coordinator_scope`); this module
adds only what belongs to a file: columns, duplicate rows and formula cells. Reads only.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from courses.people.imports.reading import (
    EMAIL,
    FULL_NAME,
    PHONE,
    SERVICE_POINT_CODE,
    Problem,
    Row,
    Sheet,
)
from courses.people.models import ServicePoint, TrainerProfile
from courses.people.phones import phone_display, phone_normalise
from courses.people.scope import CoordinatorScope, coordinator_scope
from courses.people.services import (
    MESSAGE_EMAIL_TAKEN_OTHER,
    MESSAGE_PRIVILEGED,
    MESSAGE_SERVICE_POINT_INACTIVE,
    MESSAGE_SERVICE_POINT_OUT_OF_SCOPE,
    MESSAGE_TRAINER_OUT_OF_SCOPE,
    accounts_with_other_rights,
    trainer_fields_clean,
)

User = get_user_model()
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"

# A spreadsheet program runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass
class PlannedRow:
    """A good row and what importing it does. `user_id` is the existing trainer's account."""

    line: int
    action: str
    full_name: str
    email: str
    phone: str
    service_point_id: int
    service_point_code: str
    user_id: int | None = None
    changes: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "action": self.action,
            "full_name": self.full_name,
            "email": self.email,
            "phone": phone_display(self.phone),
            "service_point_code": self.service_point_code,
            "changes": list(self.changes),
        }


@dataclass
class Preview:
    """The outcome of checking a file: the planned rows and every problem (sorted by row)."""

    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        counter = Counter(row.action for row in self.rows)
        return {
            "total": self.total,
            CREATE: counter[CREATE],
            UPDATE: counter[UPDATE],
            UNCHANGED: counter[UNCHANGED],
            "problems": len(self.problems),
            "bad_rows": len({problem.line for problem in self.problems if problem.line is not None}),
        }


def _formula_problem(row: Row, name: str, value: str, header: str) -> Problem | None:
    """A cell that a spreadsheet would run as a formula. The phone column may start with "+"
    (+62…): the phone rule then accepts digits only, which cannot form a formula."""
    if not value.startswith(FORMULA_STARTS):
        return None
    if name == PHONE and value.startswith("+"):
        return None
    return Problem(
        row.line,
        header,
        _(
            "Isi sel diawali “%(char)s”, yang bisa dijalankan sebagai rumus oleh Excel; sel tidak boleh "
            "diawali =, +, - atau @ (kecuali nomor telepon +62…)."
        )
        % {"char": value[0]},
    )


def _phone_typed(value: str) -> str:
    """Excel drops the leading 0 of a number typed into a number cell: 81234567890 is 0812…"""
    if value.isdigit() and value.startswith("8") and 9 <= len(value) <= 13:
        return "0" + value
    return value


def _existing_accounts(emails: set[str], *, lock: bool) -> dict[str, list]:
    """The accounts of these e-mail addresses (case-insensitive), with their profiles: one query
    (plus the lock, in the writing transaction)."""
    if not emails:
        return {}
    users = (
        User._default_manager.annotate(email_key=Lower("email"))
        .filter(email_key__in=sorted(emails))
        .select_related("trainer_profile", "trainer_profile__service_point")
        .order_by("pk")
    )
    if lock:
        users = users.select_for_update(of=("self",))
    accounts: dict[str, list] = {}
    for user in users:
        accounts.setdefault(user.email_key, []).append(user)
    return accounts


def _profile(user) -> TrainerProfile | None:
    try:
        return user.trainer_profile
    except TrainerProfile.DoesNotExist:
        return None


def _phone_key(phone: str) -> str:
    try:
        return phone_normalise(phone)
    except Exception:  # noqa: BLE001  a phone stored before the rule existed stays as it is
        return phone


def sheet_check(*, sheet: Sheet, by, lock: bool = False) -> Preview:
    """Check every row of `sheet` for the acting user `by` (None: the operator at the console,
    with national scope). Reads only: one query for the service points, one for the accounts
    (locked with `lock=True`, inside the import's transaction), and the scope's."""
    scope: CoordinatorScope = (
        CoordinatorScope(everything=True, service_point_ids=frozenset())
        if by is None
        else coordinator_scope(by)
    )
    preview = Preview(total=len(sheet.rows), problems=list(sheet.problems))
    if sheet.problems:
        # A missing column makes every row wrong in the same way: say it once.
        return preview
    headers = sheet.headers
    service_points = {sp.code.upper(): sp for sp in ServicePoint.objects.all()}
    emails_in_file = {row.email.strip().lower() for row in sheet.rows if row.email.strip()}
    accounts = _existing_accounts(emails_in_file, lock=lock)
    # Accounts that are also administrators, editors or coordinators: not a coordinator's to change.
    privileged = (
        accounts_with_other_rights([user for users in accounts.values() for user in users])
        if by is not None and not by.is_superuser
        else set()
    )
    first_line_of_email: dict[str, int] = {}

    for row in sheet.rows:
        problems: list[Problem] = []
        values = {
            FULL_NAME: row.full_name,
            EMAIL: row.email,
            PHONE: row.phone,
            SERVICE_POINT_CODE: row.service_point_code,
        }
        formula_fields = set()
        for name, value in values.items():
            problem = _formula_problem(row, name, value, headers.get(name, name))
            if problem is not None:
                problems.append(problem)
                formula_fields.add(name)

        cleaned, errors = trainer_fields_clean(
            full_name=row.full_name, email=row.email, phone=_phone_typed(row.phone)
        )
        for name in (FULL_NAME, EMAIL, PHONE):
            if name in errors and name not in formula_fields:
                problems.extend(
                    Problem(row.line, headers.get(name, name), str(message)) for message in errors[name]
                )
        if (
            FULL_NAME in cleaned
            and len(cleaned[FULL_NAME]) > TrainerProfile._meta.get_field("full_name").max_length
        ):
            problems.append(
                Problem(row.line, headers[FULL_NAME], _("Nama terlalu panjang (lebih dari 200 karakter)."))
            )

        code = row.service_point_code.strip()
        service_point = service_points.get(code.upper())
        code_header = headers[SERVICE_POINT_CODE]
        if SERVICE_POINT_CODE in formula_fields:
            pass
        elif not code:
            problems.append(Problem(row.line, code_header, _("Kode titik layanan wajib diisi.")))
        elif service_point is None:
            problems.append(
                Problem(
                    row.line, code_header, _("Titik layanan “%(code)s” tidak dikenal.") % {"code": code[:40]}
                )
            )
        elif not scope.includes_service_point(service_point.pk):
            problems.append(
                Problem(row.line, code_header, f"{service_point.code}: {MESSAGE_SERVICE_POINT_OUT_OF_SCOPE}")
            )
        elif not service_point.active:
            problems.append(
                Problem(row.line, code_header, f"{service_point.code}: {MESSAGE_SERVICE_POINT_INACTIVE}")
            )

        email = cleaned.get(EMAIL)
        existing = None
        if email is not None and len(email) > EMAIL_MAX_LENGTH:
            problems.append(Problem(row.line, headers[EMAIL], _("Alamat e-mail terlalu panjang.")))
            email = None
        if email is not None:
            email_header = headers[EMAIL]
            if email in first_line_of_email:
                problems.append(
                    Problem(
                        row.line,
                        email_header,
                        _("Baris ganda: e-mail %(email)s sudah ada di baris %(line)s.")
                        % {"email": email, "line": first_line_of_email[email]},
                    )
                )
            else:
                first_line_of_email[email] = row.line
            owners = accounts.get(email, [])
            if len(owners) > 1:
                problems.append(
                    Problem(
                        row.line,
                        email_header,
                        _("E-mail ini dipakai oleh lebih dari satu akun. Hubungi admin."),
                    )
                )
            elif owners:
                existing = owners[0]
                profile = _profile(existing)
                if profile is None:
                    problems.append(Problem(row.line, email_header, str(MESSAGE_EMAIL_TAKEN_OTHER)))
                    existing = None
                elif not scope.includes_service_point(profile.service_point_id):
                    problems.append(Problem(row.line, email_header, str(MESSAGE_TRAINER_OUT_OF_SCOPE)))
                    existing = None
                elif existing.pk in privileged:
                    problems.append(Problem(row.line, email_header, str(MESSAGE_PRIVILEGED)))
                    existing = None

        if problems:
            preview.problems.extend(problems)
            continue
        planned = PlannedRow(
            line=row.line,
            action=CREATE,
            full_name=cleaned[FULL_NAME],
            email=email,
            phone=cleaned[PHONE],
            service_point_id=service_point.pk,
            service_point_code=service_point.code,
        )
        if existing is not None:
            profile = existing.trainer_profile
            changes = []
            if profile.full_name != planned.full_name:
                changes.append(FULL_NAME)
            # An empty phone cell keeps the phone the trainer has: a file never erases data by omission.
            if planned.phone and _phone_key(profile.phone) != planned.phone:
                changes.append(PHONE)
            if not planned.phone:
                planned.phone = profile.phone
            if profile.service_point_id != planned.service_point_id:
                changes.append(SERVICE_POINT_CODE)
            planned.user_id = existing.pk
            planned.changes = tuple(changes)
            planned.action = UPDATE if changes else UNCHANGED
        preview.rows.append(planned)
    preview.problems.sort(key=lambda problem: problem.line or 0)
    return preview
