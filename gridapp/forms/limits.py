"""What a questionnaire expression may cost, and the error that says it went wrong.

Nothing an expression does can hang the laptop (docs/expressions.md):

- regex() runs on RE2 (forms/regex.py), which matches in time linear in the text,
  whatever the pattern, even one taken from an answer: `(a+)+$` cannot backtrack.
- A string an expression builds (concat, a multi-select's codes joined) is at most
  MAX_STRING characters, checked before it is built.
- Each evaluation has a Budget of MAX_STEPS steps: one per node evaluated, one per
  character a function or operator reads, and a regular expression reads its text once
  per instruction of its compiled program (RE2's worst case). Past it, the evaluation
  stops; with the source at most 2,000 characters that is tens of milliseconds at most.
- At import (forms/bounds.py), a pattern RE2 cannot run is refused, and so is a concat
  that could grow past MAX_STRING or MAX_COPIES answers across calculations.

Past any limit the evaluation stops with an ExpressionError carrying a catalog key; the
engine then treats a constraint as broken, a relevance as false, a calculation as empty.
"""

from __future__ import annotations

from typing import Any

from gridapp.errors import GridappError

#: Characters in a regular expression's pattern.
MAX_PATTERN = 200
#: RE2's compiled program size for one pattern (`.{0,1000}` is about 9,000).
MAX_PROGRAM = 10_000
#: Characters in a string an expression builds (64 KiB of text).
MAX_STRING = 65_536
#: Work one evaluation may do (see above).
MAX_STEPS = 10_000_000
#: How many answers one calculated string may hold copies of (checked at import).
MAX_COPIES = 100


class ExpressionError(GridappError):
    """A malformed expression, or one that cannot be evaluated. `message` is the English
    detail (shown inside error.form.bad_expression); limits and regular expressions RE2
    cannot run carry their own catalog key and parameters."""

    key = "error.expr.invalid"

    def __init__(
        self, message: str, position: int = -1, key: str | None = None, **params: Any
    ) -> None:
        Exception.__init__(
            self, message if position < 0 else f"{message} (at character {position})"
        )
        self.message = message
        self.position = position
        self.key = key or type(self).key
        self.params = params if key else {"detail": message}

    def at(self, position: int) -> ExpressionError:
        """The same error, placed at `position` in the source."""
        error = ExpressionError(self.message, position)
        error.key, error.params = self.key, self.params
        return error


class Budget:
    """The steps an evaluation may still take; share one to bound several evaluations."""

    __slots__ = ("left", "limit")

    def __init__(self, steps: int = MAX_STEPS) -> None:
        self.limit = steps
        self.left = steps

    def spend(self, steps: int) -> None:
        self.left -= steps
        if self.left < 0:
            raise ExpressionError(
                f"more than {self.limit:,} steps of work",
                key="error.expr.too_much_work",
                limit=self.limit,
            )


def text_size(value: Any) -> int:
    """Characters a function reads in `value` (a multi-select: its codes and spaces)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return sum(map(len, value)) + len(value)
    return 0


def check_length(size: int) -> None:
    """Refuse to build a string of `size` characters past MAX_STRING (before building)."""
    if size > MAX_STRING:
        raise ExpressionError(
            f"text longer than {MAX_STRING:,} characters ({size:,})",
            key="error.expr.string_too_long",
            limit=MAX_STRING,
            size=size,
        )


# What a questionnaire's shape may be (checked when it is loaded, forms/loader.py).

#: Repeats inside repeats, at most this deep.
MAX_REPEAT_DEPTH = 8
#: Groups and repeats inside each other, at most this deep.
MAX_NESTING = 32
#: Characters in one label, hint or message, in one language.
MAX_LABEL = 2000
#: Instances of one repeat (a repeat_count past it is held to it).
MAX_INSTANCES = 200
#: Characters of one stored answer as JSON (a repeat's: all its instances); the wire
#: carries no more (sync/wire_tables.py).
MAX_ANSWER_CHARS = 64_000
#: JSON nesting of one stored answer: a list and an object per repeat, a multi-select.
ANSWER_JSON_DEPTH = 2 * MAX_REPEAT_DEPTH + 2
