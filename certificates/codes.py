"""Verification codes: random, unguessable, easy to type and to read aloud.

A code is 16 symbols of Crockford base32 (80 bits from the operating system's CSPRNG) and one check
symbol (the value mod 37, Crockford's check alphabet), printed in groups: ``7K3Q-9X2M-4HPA-TR5W-J``.
Parsing forgives case, spaces, missing or extra dashes, O for 0 and I/L for 1.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET + "*~$=U"
DATA_LENGTH = 16  # 16 × 5 bits = 80 bits
GROUP = 4
CODE_LENGTH = DATA_LENGTH + DATA_LENGTH // GROUP + 1  # 16 symbols, 4 dashes, 1 check symbol: 21

_DECODE = {symbol: index for index, symbol in enumerate(ALPHABET)}
_DECODE.update({"O": 0, "I": 1, "L": 1})
_CHECK_DECODE = {symbol: index for index, symbol in enumerate(CHECK_ALPHABET)}
_CHECK_DECODE.update({"O": 0, "I": 1, "L": 1})
_IGNORED = str.maketrans("", "", " -\t\n\r_.")


class InvalidCode(ValueError):
    """The text is not a well-formed code (wrong length, symbol or check symbol)."""


def check_symbol(value: int) -> str:
    return CHECK_ALPHABET[value % 37]


def code_from_int(value: int) -> str:
    """The grouped code of an integer in [0, 2**80)."""
    if not 0 <= value < 1 << (5 * DATA_LENGTH):
        raise ValueError("value out of range")
    symbols = []
    remaining = value
    for _ in range(DATA_LENGTH):
        symbols.append(ALPHABET[remaining & 31])
        remaining >>= 5
    data = "".join(reversed(symbols))
    groups = [data[i : i + GROUP] for i in range(0, DATA_LENGTH, GROUP)]
    return "-".join([*groups, check_symbol(value)])


def code_generate() -> str:
    """A new random code (80 bits from `secrets`). Uniqueness is the database's job."""
    return code_from_int(secrets.randbits(5 * DATA_LENGTH))


def code_to_int(text: str) -> int:
    """The integer a code stands for; raises InvalidCode when it is malformed or the check fails."""
    if not isinstance(text, str):
        raise InvalidCode("not a string")
    compact = text.upper().translate(_IGNORED)
    if len(compact) != DATA_LENGTH + 1:
        raise InvalidCode("wrong length")
    value = 0
    for symbol in compact[:DATA_LENGTH]:
        if symbol not in _DECODE:
            raise InvalidCode(f"invalid symbol {symbol!r}")
        value = (value << 5) | _DECODE[symbol]
    check = _CHECK_DECODE.get(compact[-1])
    if check is None or check != value % 37:
        raise InvalidCode("check symbol does not match")
    return value


def code_normalize(text: str) -> str:
    """The canonical grouped form of a typed code; raises InvalidCode."""
    return code_from_int(code_to_int(text))


def code_normalize_or_none(text: str) -> str | None:
    try:
        return code_normalize(text)
    except InvalidCode:
        return None
