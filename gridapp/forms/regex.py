"""regex() of questionnaire expressions, on RE2 (google-re2): matching takes time linear
in the text whatever the pattern, so neither a pattern an office clerk wrote nor one
taken from an answer can backtrack for hours (`(a+)+$` against 'aaa…!' is instant).

RE2 has no backreferences (\\1) or lookarounds ((?=…), (?<=…)): such a pattern is
refused with a key naming what it uses, at import when it is written in the expression,
at evaluation when it comes from an answer. So is a `{` that is not a repetition: RE2
would match `a{,3}` as the text "a{,3}" where ODK's engine repeats or refuses. Unlike
Python's `re`, \\d, \\w and \\s are ASCII only (as in ODK Collect): write [0-9] or
\\p{Nd} to say which digits are meant.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import re2

from gridapp.forms.limits import MAX_PATTERN, MAX_PROGRAM, Budget, ExpressionError

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # RE2 would print each refused pattern on stderr
_REPEAT = re.compile(r"\{([0-9]+)(?:,([0-9]*))?\}")
#: RE2's words for what it cannot run, and ours (catalog keys).
_RE2_REFUSALS = (
    (re.compile(r"invalid escape sequence: \\[1-9]"), "error.expr.regex_backreference"),
    (re.compile(r"invalid perl operator: \(\?<?[=!]"), "error.expr.regex_lookaround"),
    (re.compile(r"invalid repetition size"), "error.expr.regex_repeat"),
    (re.compile(r"pattern too large"), "error.expr.regex_too_complex"),
)


def stray_brace(pattern: str) -> int:
    """Where a `{` stands that is not a repetition {n}, {n,} or {n,m} of at most 1,000
    (-1 if none). RE2 would match such a brace as itself (`a{,3}`, `a{99999999999}`)
    where other engines repeat or refuse: the author must write \\{ to mean it."""
    i, end, in_class = 0, len(pattern), False
    while i < end:
        ch = pattern[i]
        if ch == "\\":
            follows = pattern[i + 1 : i + 2]
            if follows == "Q":  # \Q...\E quotes literally
                close = pattern.find("\\E", i + 2)
                i = end if close < 0 else close + 2
            elif follows in ("p", "P", "x") and pattern[i + 2 : i + 3] == "{":
                close = pattern.find("}", i + 3)
                i = end if close < 0 else close + 1
            else:
                i += 2
        elif in_class:
            close = pattern.find(":]", i + 2) if pattern.startswith("[:", i) else -1
            in_class = ch != "]"
            i = close + 2 if close >= 0 else i + 1
        elif ch == "[":
            in_class = True
            i += 1
            i += pattern[i : i + 1] == "^"
            i += pattern[i : i + 1] == "]"  # a ] first in a class is itself
        elif ch == "{":
            repeat = _REPEAT.match(pattern, i)
            counts = [int(n) for n in repeat.groups() if n] if repeat else [1001]
            if max(counts) > 1000:
                return i
            i = repeat.end() if repeat else end
        else:
            i += 1
    return -1


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> tuple[Any, int]:
    """The RE2 program for `pattern` and its size (instructions); ExpressionError, with
    a catalog key saying why, for a pattern RE2 cannot run or we will not."""
    if len(pattern) > MAX_PATTERN:
        raise ExpressionError(
            f"regular expression longer than {MAX_PATTERN} characters",
            key="error.expr.regex_too_long",
            limit=MAX_PATTERN,
        )
    if (brace := stray_brace(pattern)) >= 0:
        raise ExpressionError(
            f"bad regular expression: '{{' at {brace} is not a repetition {{n}}, {{n,}} or"
            " {n,m} of at most 1000; write \\{ for the character",
            key="error.expr.regex_brace",
            pattern=pattern,
        )
    try:
        compiled = re2.compile(pattern, _RE2_OPTIONS)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else ""
        detail = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
        key = next((k for rule, k in _RE2_REFUSALS if rule.match(detail)), None)
        raise ExpressionError(
            f"bad regular expression: {detail}",
            key=key or "error.expr.regex_syntax",
            pattern=pattern,
            detail=detail,
        ) from None
    size = _program_size(compiled, pattern)
    if size > MAX_PROGRAM:
        raise ExpressionError(
            f"bad regular expression: too complex ({size:,} instructions)",
            key="error.expr.regex_too_complex",
            pattern=pattern,
            detail=f"{size} > {MAX_PROGRAM}",
        )
    return compiled, size


def _program_size(compiled: Any, pattern: str) -> int:
    """RE2's ProgramSize(). The wrapper keeps the RE2 object in a private attribute;
    should a release move it, count 50 instructions a character (MAX_PROGRAM at most)."""
    inner = getattr(compiled, "_regexp", None)
    size = getattr(inner, "ProgramSize", None)
    return int(size()) if callable(size) else len(pattern) * 50


def fullmatch(subject: str, pattern: str, budget: Budget) -> bool:
    """Whether all of `subject` matches `pattern`, paid for from `budget` before RE2
    runs: the text once per instruction of the program, its worst case."""
    compiled, size = compile_pattern(pattern)
    budget.spend(max(len(subject), 1) * size)
    return compiled.fullmatch(subject) is not None
