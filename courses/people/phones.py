"""Phone numbers of trainers: one normal form and one rule for every way in (forms, services and
the import). Pure functions, no database."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Spaces, dots, dashes, slashes and brackets people type between digit groups.
_SEPARATORS = re.compile(r"[\s.\-/()]+")
# Indonesian numbers after the trunk prefix 0 or the country code 62: a mobile number is 8 then
# 8 to 11 more digits; a fixed line is an area code (2–9) and the subscriber number.
_NATIONAL_NUMBER = re.compile(r"[2-9]\d{7,11}")

MESSAGE_PHONE = _(
    "Nomor telepon tidak valid. Tulis nomor Indonesia yang diawali 08 atau +62, misalnya 0812 3456 7890."
)


def phone_normalise(raw: str | None) -> str:
    """The normal form of an Indonesian phone number: digits only, starting with the country
    code, e.g. "0812-3456-7890", "+62 812 3456 7890" and "62812 34567890" all give "6281234567890".
    An empty value gives "" (whether a phone is required is the caller's rule). Raises
    ValidationError (Indonesian message) for anything else. Idempotent, no side effects."""
    value = _SEPARATORS.sub("", raw or "")
    if not value:
        return ""
    if value.startswith("+62"):
        national = value[3:]
    elif value.startswith("62"):
        national = value[2:]
    elif value.startswith("0"):
        national = value[1:]
    else:
        raise ValidationError(MESSAGE_PHONE, code="phone")
    if not national.isascii() or not _NATIONAL_NUMBER.fullmatch(national):
        raise ValidationError(MESSAGE_PHONE, code="phone")
    return f"62{national}"


def phone_display(value: str) -> str:
    """A normalised number as people read it: "6281234567890" → "0812-3456-7890"."""
    if not value.startswith("62"):
        return value
    local = "0" + value[2:]
    return "-".join(local[i : i + 4] for i in range(0, len(local), 4))
