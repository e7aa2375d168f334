"""Verification codes: random, unguessable, easy to type and to read aloud.

A code is 16 symbols of Crockford base32 (80 bits from the operating system's CSPRNG) and one check
symbol drawn from the same 32 symbols, printed in groups: ``7K3Q-9X2M-4HPA-TR5W-H``. So every
symbol of a code is a digit or a capital letter that a phone keyboard shows.

The check symbol makes the 17 symbols a codeword over GF(32): with the symbols as field elements
and the weights α¹…α¹⁶ for the data and 1 for the check, the weighted sum is zero. The 17 weights
are distinct and non-zero, so a single wrong symbol and a swap of any two different symbols (the
check symbol included) are always detected.

Codes issued before 2026-11 carry Crockford's mod-37 check symbol, which can be one of ``*~$=U``.
They stay valid: a code whose check matches neither scheme is refused, one that matches the old
scheme keeps its old spelling (the one stored).

Parsing forgives case, spaces, missing or extra dashes, O for 0 and I/L for 1, as Crockford says.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LEGACY_CHECK_ALPHABET = ALPHABET + "*~$=U"
DATA_LENGTH = 16  # 16 × 5 bits = 80 bits
GROUP = 4
CODE_LENGTH = DATA_LENGTH + DATA_LENGTH // GROUP + 1  # 16 symbols, 4 dashes, 1 check symbol: 21

_DECODE = {symbol: index for index, symbol in enumerate(ALPHABET)}
_DECODE.update({"O": 0, "I": 1, "L": 1})
_LEGACY_CHECK_DECODE = {symbol: index for index, symbol in enumerate(LEGACY_CHECK_ALPHABET)}
_LEGACY_CHECK_DECODE.update({"O": 0, "I": 1, "L": 1})
_IGNORED = str.maketrans("", "", " -\t\n\r_.")

# GF(32) as polynomials over GF(2) modulo the primitive x⁵ + x² + 1; α = x (the integer 2)
_FIELD_MODULUS = 0b100101


def _field_multiply(a: int, b: int) -> int:
    product = 0
    while b:
        if b & 1:
            product ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= _FIELD_MODULUS
    return product


def _powers() -> tuple[int, ...]:
    powers, power = [], 1
    for _ in range(DATA_LENGTH):
        power = _field_multiply(power, 2)
        powers.append(power)
    return tuple(powers)


_WEIGHTS = _powers()  # α¹ … α¹⁶, for the data symbols from left to right


class InvalidCode(ValueError):
    """The text is not a well-formed code (wrong length, symbol or check symbol)."""


def _data_symbols(value: int) -> list[int]:
    return [(value >> (5 * (DATA_LENGTH - 1 - position))) & 31 for position in range(DATA_LENGTH)]


def check_symbol(value: int) -> str:
    """The check symbol of an 80-bit value (one of ALPHABET)."""
    total = 0
    for weight, symbol in zip(_WEIGHTS, _data_symbols(value), strict=True):
        total ^= _field_multiply(weight, symbol)
    return ALPHABET[total]


def legacy_check_symbol(value: int) -> str:
    """The check symbol of codes issued before 2026-11 (value mod 37, Crockford's check symbols)."""
    return LEGACY_CHECK_ALPHABET[value % 37]


def _grouped(value: int, check: str) -> str:
    data = "".join(ALPHABET[symbol] for symbol in _data_symbols(value))
    groups = [data[i : i + GROUP] for i in range(0, DATA_LENGTH, GROUP)]
    return "-".join([*groups, check])


def code_from_int(value: int) -> str:
    """The grouped code of an integer in [0, 2**80)."""
    if not 0 <= value < 1 << (5 * DATA_LENGTH):
        raise ValueError("value out of range")
    return _grouped(value, check_symbol(value))


def code_generate() -> str:
    """A new random code (80 bits from `secrets`). Uniqueness is the database's job."""
    return code_from_int(secrets.randbits(5 * DATA_LENGTH))


def _parse(text: str) -> tuple[int, str]:
    """The value and the canonical spelling of a typed code; raises InvalidCode."""
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
    typed_check = compact[-1]
    check = check_symbol(value)
    if _DECODE.get(typed_check) == ALPHABET.index(check):
        return value, _grouped(value, check)
    legacy = _LEGACY_CHECK_DECODE.get(typed_check)
    if legacy is not None and legacy == value % 37:
        return value, _grouped(value, legacy_check_symbol(value))
    raise InvalidCode("check symbol does not match")


def code_to_int(text: str) -> int:
    """The integer a code stands for; raises InvalidCode when it is malformed or the check fails."""
    return _parse(text)[0]


def code_normalize(text: str) -> str:
    """The canonical grouped form of a typed code (an old code keeps its old check symbol);
    raises InvalidCode."""
    return _parse(text)[1]


def code_normalize_or_none(text: str) -> str | None:
    try:
        return code_normalize(text)
    except InvalidCode:
        return None
