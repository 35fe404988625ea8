"""The one rule for a new PIN, for the CLI, the desktop and the account book alike.

A PIN is the only thing between a lost laptop's finder and every resident's phone, and
the lock after five wrong PINs gives the finder five free guesses a minute or so: the
guesses anyone tries first must not be PINs. Refused, each with its own reason:

- shorter than 6 or longer than 128 characters;
- only spaces, a space at either end (invisible, easily mistyped), control characters;
- one short piece repeated (111111, aaaaaa, 121212, 123123);
- a run up or down (123456, 654321, 890123, abcdef);
- a line on a keypad or keyboard, in pieces of at least three keys (147258, 258369,
  159753, 123789, qwerty, 1qaz2wsx);
- one of the commonest choices (520520, 131420, 168168, 112233, 123321 …);
- the account's own code.

Digits and letters are compared after NFKC (full-width １２３４５６ is 123456) and
case-folding; the PIN itself is used exactly as typed.
"""

from __future__ import annotations

import itertools
import unicodedata
from functools import cache

from gridapp.errors import InvalidInput

MIN_PIN_LENGTH = 6
MAX_PIN_LENGTH = 128

#: Straight lines of keys: a phone keypad and a numeric keypad (rows, columns,
#: diagonals), the digit row, and a QWERTY keyboard's rows and slanted columns.
#: A line read backwards is a line too.
_LINES = (
    "1234567890",
    "147",
    "2580",
    "369",
    "159",
    "357",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1qaz",
    "2wsx",
    "3edc",
    "4rfv",
    "5tgb",
    "6yhn",
    "7ujm",
    "8ik",
    "9ol",
)
_SHORTEST_PIECE = 3

#: Among the commonest choices in leaked Chinese password lists, those the patterns
#: above do not already refuse (520520, 888888, 123321 are refused as patterns). Lower
#: case.
COMMON_PINS = frozenset(
    {
        "520131", "521131", "5201314", "5211314", "1314520", "1314521", "7758521",
        "584520", "201314", "131420", "131421", "woaini", "woaini1314", "iloveyou",
        "168888", "666888", "888666", "168668", "518888", "112233", "111222", "222333",
        "110120", "100200", "102030", "010203", "000123", "112358", "314159", "142857",
        "123abc", "abc123", "abc123456", "a123456", "aa123456", "a1b2c3", "admin123",
        "password", "passw0rd", "gridapp", "nanmatou",
    }
)  # fmt: skip


def _folded(pin: str) -> str:
    return unicodedata.normalize("NFKC", pin).casefold()


def _repeats_a_piece(text: str) -> bool:
    return any(
        len(text) % size == 0 and text == text[:size] * (len(text) // size)
        for size in range(1, len(text) // 2 + 1)
    )


def _is_a_run(text: str) -> bool:
    """Every step +1 or every step -1: digits wrap (890123), letters do not."""
    if text.isascii() and text.isdigit():
        steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(text)}
        return steps in ({1}, {9})
    if text.isascii() and text.isalpha():
        steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
        return steps in ({1}, {-1})
    return False


@cache
def _line_pieces() -> frozenset[str]:
    pieces = set()
    for line in _LINES:
        for text in (line, line[::-1]):
            for start, end in itertools.combinations(range(len(text) + 1), 2):
                if end - start >= _SHORTEST_PIECE:
                    pieces.add(text[start:end])
    return frozenset(pieces)


def _follows_key_lines(text: str) -> bool:
    """The whole PIN is straight keypad/keyboard lines of 3 keys or more, end to end."""
    pieces = _line_pieces()
    reachable = [True] + [False] * len(text)  # reachable[i]: text[:i] is made of lines
    for end in range(_SHORTEST_PIECE, len(text) + 1):
        reachable[end] = any(
            reachable[start] and text[start:end] in pieces
            for start in range(0, end - _SHORTEST_PIECE + 1)
        )
    return reachable[-1]


def pin_problem(pin: str, code: str = "") -> InvalidInput | None:
    """Why `pin` may not be a new PIN (for account `code`), or None when it may."""
    if len(pin) < MIN_PIN_LENGTH:
        return InvalidInput("error.trust.pin_too_short", length=MIN_PIN_LENGTH)
    if len(pin) > MAX_PIN_LENGTH:
        return InvalidInput("error.trust.pin_too_long", length=MAX_PIN_LENGTH)
    if not pin.strip():
        return InvalidInput("error.trust.pin_blank")
    if pin != pin.strip():
        return InvalidInput("error.trust.pin_edge_space")
    if any(unicodedata.category(ch).startswith("C") for ch in pin):
        return InvalidInput("error.trust.pin_control")
    text = _folded(pin)
    if _repeats_a_piece(text):
        return InvalidInput("error.trust.pin_repeated")
    if _is_a_run(text):
        return InvalidInput("error.trust.pin_sequence")
    if _follows_key_lines(text):
        return InvalidInput("error.trust.pin_keyboard")
    if text in COMMON_PINS:
        return InvalidInput("error.trust.pin_common")
    if code and _folded(code) in text:
        return InvalidInput("error.trust.pin_has_code", code=code)
    return None


def check_new_pin(pin: str, code: str = "") -> None:
    """Raise `InvalidInput` with the reason when `pin` may not be a new PIN."""
    problem = pin_problem(pin, code)
    if problem is not None:
        raise problem


def check_pin_length(pin: str) -> None:
    """Only the length: for the demo's own accounts, whose PINs are published."""
    if len(pin) < MIN_PIN_LENGTH:
        raise InvalidInput("error.trust.pin_too_short", length=MIN_PIN_LENGTH)
    if len(pin) > MAX_PIN_LENGTH:
        raise InvalidInput("error.trust.pin_too_long", length=MAX_PIN_LENGTH)
