"""People's names as printed on certificates: one normal form and one rule for every way in.

A name is accepted when every character can be printed with the certificate's fonts (DejaVu Serif,
then Noto Serif, Noto Naskh Arabic and Noto Sans Javanese, Balinese and Sundanese: see
`certificates/templates/certificates/pdf/certificate.html`). These are the scripts names are
written in in Indonesia: Latin with any diacritics, Arabic script (Jawi, Pegon), Javanese, Balinese
and Sundanese. Words are separated by spaces and the punctuation of names (``. , ' ’ -``).

Everything is pure (no database, no side effects): the profile form, the model's `clean()` and
the services call the same functions.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NAME_SEPARATORS = frozenset(" .,'’-")
_INVISIBLE = str.maketrans("", "", "\u200b\ufeff\u00ad")  # zero-width space, BOM, soft hyphen

# (first, last, script): letters and combining marks of these ranges are accepted; digits,
# punctuation and symbols of the same blocks are not (checked by Unicode category).
SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x005A, "latin"),
    (0x0061, 0x007A, "latin"),
    (0x00C0, 0x00FF, "latin"),  # Latin-1 letters (× and ÷ are symbols)
    (0x0100, 0x024F, "latin"),  # Latin Extended-A and -B
    (0x0300, 0x036F, "latin"),  # combining diacritics, e.g. what NFC cannot compose
    (0x1E00, 0x1EFF, "latin"),  # Latin Extended Additional (Vietnamese among others)
    (0x0620, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),  # Arabic Supplement (letters of Jawi and Pegon)
    (0xA980, 0xA9DF, "javanese"),
    (0x1B00, 0x1B4B, "balinese"),  # U+1B4C (Unicode 14) has no glyph in Noto Sans Balinese yet
    (0x1B50, 0x1B6A, "balinese"),  # U+1B6B–1B73 are musical marks, not letters
    (0x1B74, 0x1B7F, "balinese"),
    (0x1B80, 0x1BBF, "sundanese"),
)

MESSAGE_SHORT = _("Nama terlalu pendek.")
MESSAGE_CHARACTERS = _(
    "Nama memuat karakter yang tidak bisa dicetak di sertifikat: %(characters)s. Gunakan huruf "
    "Latin (boleh beraksen), aksara Arab/Pegon, Jawa, Bali atau Sunda, dengan spasi, titik, koma, "
    "tanda petik dan tanda hubung."
)
MESSAGE_FORM = _(
    "Nama harus diawali dan dipisahkan dengan huruf, bukan tanda baca atau tanda vokal, dan setiap "
    "kata ditulis dalam satu aksara."
)


def _script(char: str) -> str | None:
    """The script of a letter or combining mark we can print; None for anything else."""
    if unicodedata.category(char)[0] not in "LM":
        return None
    code = ord(char)
    for first, last, script in SCRIPT_RANGES:
        if first <= code <= last:
            return script
    return None


def person_name_character_allowed(char: str) -> bool:
    """True for a letter or combining mark of a script the certificate prints."""
    return _script(char) is not None


def person_name_normalize(*, name: str) -> str:
    """The normal form of a typed name: Unicode NFC (``e`` + U+0302 + U+0303 becomes ``ễ``),
    invisible characters dropped, runs of white space made one space, no space at either end.
    Idempotent."""
    composed = unicodedata.normalize("NFC", name.translate(_INVISIBLE))
    return " ".join(composed.split())


def person_name_validate(*, name: str) -> None:
    """Raise ValidationError (Indonesian message) unless the normalised name can be printed whole.

    Checks characters, not length (the field's max_length does that). No side effects."""
    unprintable = sorted({char for char in name if char not in NAME_SEPARATORS and _script(char) is None})
    if unprintable:
        shown = ", ".join(f"“{char}” (U+{ord(char):04X})" for char in unprintable[:5])
        raise ValidationError(MESSAGE_CHARACTERS, code="name_characters", params={"characters": shown})
    if sum(1 for char in name if char not in NAME_SEPARATORS) < 2:
        raise ValidationError(MESSAGE_SHORT, code="name_short")
    # starts with a letter; may end with a dot (an abbreviated degree), no other punctuation
    if name[0] in NAME_SEPARATORS or name[-1] in NAME_SEPARATORS - {"."}:
        raise ValidationError(MESSAGE_FORM, code="name_form")
    word_script = None
    for char in name:
        if char in NAME_SEPARATORS:
            word_script = None
            continue
        script = _script(char)
        # a vowel sign or diacritic belongs to the letter before it, in the same script
        if word_script is None and unicodedata.category(char)[0] == "M":
            raise ValidationError(MESSAGE_FORM, code="name_form")
        if word_script is not None and script != word_script:
            raise ValidationError(MESSAGE_FORM, code="name_form")
        word_script = script


def person_name_clean(*, name: str) -> str:
    """The normalised name, or ValidationError. Idempotent, no side effects."""
    normalized = person_name_normalize(name=name)
    person_name_validate(name=normalized)
    return normalized
