import contextlib
import re

from hypothesis import given
from hypothesis import strategies as st

from certificates.codes import (
    ALPHABET,
    CODE_LENGTH,
    InvalidCode,
    code_from_int,
    code_generate,
    code_normalize,
    code_normalize_or_none,
    code_to_int,
)

CODE_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}-[0-9A-HJKMNP-TV-Z*~$=U]$")
values = st.integers(min_value=0, max_value=2**80 - 1)


def test_generated_codes_are_grouped_crockford_with_a_check_symbol():
    codes = {code_generate() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert CODE_RE.match(code), code
        assert code_normalize(code) == code


@given(values)
def test_every_value_round_trips(value):
    assert code_to_int(code_from_int(value)) == value


@given(values, st.data())
def test_parsing_forgives_case_spaces_dashes_and_look_alikes(value, data):
    code = code_from_int(value)
    typed = []
    for symbol in code.replace("-", ""):
        choices = [symbol, symbol.lower()]
        if symbol == "0":
            choices += ["O", "o"]
        if symbol == "1":
            choices += ["I", "i", "L", "l"]
        typed.append(data.draw(st.sampled_from(choices)))
        typed.append(data.draw(st.sampled_from(["", "", " ", "-"])))
    assert code_normalize("".join(typed)) == code


@given(values, st.integers(min_value=0, max_value=15), st.sampled_from(ALPHABET))
def test_a_single_wrong_symbol_is_detected(value, position, replacement):
    code = code_from_int(value)
    compact = code.replace("-", "")
    if compact[position] == replacement:
        return
    changed = compact[:position] + replacement + compact[position + 1 :]
    assert code_normalize_or_none(changed) is None


@given(values, st.integers(min_value=0, max_value=14))
def test_swapping_two_adjacent_symbols_is_detected(value, position):
    compact = code_from_int(value).replace("-", "")
    if compact[position] == compact[position + 1]:
        return
    swapped = compact[:position] + compact[position + 1] + compact[position] + compact[position + 2 :]
    assert code_normalize_or_none(swapped) is None


@given(st.text(max_size=40))
def test_arbitrary_text_never_crashes_the_parser(text):
    with contextlib.suppress(InvalidCode):
        code_to_int(text)


def test_codes_carry_at_least_80_bits():
    assert len(ALPHABET) ** 16 >= 2**80
