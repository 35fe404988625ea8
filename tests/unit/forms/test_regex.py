"""regex() on RE2: linear time whatever the pattern (even one taken from an answer), and
what RE2 cannot run refused with a key that says why. Timing lives in bench/forms_bench.py;
here the tests show that the match returns and that RE2 is the engine that ran it."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from gridapp.forms.expr import parse
from gridapp.forms.limits import MAX_PATTERN, Budget, ExpressionError
from gridapp.forms.regex import compile_pattern, fullmatch, stray_brace

# Each backtracks exponentially in Python's `re` (or any backtracking engine).
CATASTROPHIC = ["(a+)+$", "(a|aa)+$", "(a|a?)+$", "(a*)*b", "(.*a){20}$", "([a-z]+)*[0-9]"]


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every pattern handed to RE2's compiler, the cache emptied first."""
    seen: list[str] = []
    real = re2.compile

    def spy(pattern: str, options: Any = None) -> Any:
        seen.append(pattern)
        return real(pattern, options)

    monkeypatch.setattr(re2, "compile", spy)
    compile_pattern.cache_clear()
    yield seen
    compile_pattern.cache_clear()


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_a_catastrophic_pattern_from_an_answer_returns_and_runs_on_re2(
    pattern: str, compiled: list[str]
) -> None:
    subject = "a" * 50 + "!"
    expr = parse("regex(${text}, ${pattern})")
    assert expr.evaluate({"text": subject, "pattern": pattern}) is False
    assert compiled == [pattern]
    assert type(compile_pattern(pattern)[0]).__module__ == "re2"


def test_a_catastrophic_pattern_written_in_the_form_returns(compiled: list[str]) -> None:
    assert parse("regex(., '(a+)+$')").evaluate({}, "a" * 50 + "!") is False
    assert parse("regex(., '(a+)+$')").evaluate({}, "a" * 50) is True
    assert compiled == ["(a+)+$"]


@pytest.mark.parametrize(
    ("pattern", "key"),
    [
        ("(a)\\1", "error.expr.regex_backreference"),
        ("(['\"])x\\1", "error.expr.regex_backreference"),
        ("(?=a)a", "error.expr.regex_lookaround"),
        ("(?!a)b", "error.expr.regex_lookaround"),
        ("(?<=a)b", "error.expr.regex_lookaround"),
        ("(?<!a)b", "error.expr.regex_lookaround"),
        ("a{,3}", "error.expr.regex_brace"),
        ("a{99999999999}", "error.expr.regex_brace"),
        ("a{1001}", "error.expr.regex_brace"),
        ("{abc}", "error.expr.regex_brace"),
        ("(a{1000}){1000}", "error.expr.regex_repeat"),
        ("(.*){1000}", "error.expr.regex_too_complex"),
        ("[", "error.expr.regex_syntax"),
        ("a\\Z", "error.expr.regex_syntax"),
        ("a" * (MAX_PATTERN + 1), "error.expr.regex_too_long"),
    ],
)
def test_what_re2_cannot_run_is_refused_by_name(pattern: str, key: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_pattern(pattern)
    assert caught.value.key == key
    assert caught.value.message.startswith(("bad regular expression", "regular expression"))
    with pytest.raises(ExpressionError) as at_evaluation:  # from an answer: the same words
        parse("1 + regex('a', ${p})").evaluate({"p": pattern})
    assert (at_evaluation.value.key, at_evaluation.value.position) == (key, 4)


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("1[3-9][0-9]{9}", "13812345678", True),
        ("[0-9]{6}", "200127", True),
        ("[0-9]{6}", "２００１２７", False),  # full-width digits are not [0-9]
        ("\\d+", "１２", False),  # RE2's \d is ASCII, as ODK Collect's is
        ("\\p{Nd}+", "１２", True),
        ("\\p{Han}{2,4}", "南码头", True),
        ("[^@\\s]+@[^@\\s]+\\.[a-z]{2,}", "a@b.cn", True),
        ("a\\{2\\}", "a{2}", True),  # an escaped brace is the character
        ("[{}]+", "{}", True),  # so is one in a class
        ("\\Qa{,3}\\E", "a{,3}", True),  # and one quoted
        ("[]a]+", "]a", True),
        ("[[:digit:]{]+", "1{", True),
        ("(?i)abc", "ABC", True),
        ("a|b", "ab", False),  # the whole text must match
    ],
)
def test_patterns_re2_runs(pattern: str, text: str, expected: bool) -> None:
    assert fullmatch(text, pattern, Budget()) is expected


def test_the_program_size_is_re2s_own() -> None:
    """The private attribute the size is read from is still there (else every pattern
    would be charged as if each character were 50 instructions)."""
    assert compile_pattern("[0-9]{6}")[1] == 10
    assert compile_pattern("(.*){999}")[1] > 9000


def test_matching_is_paid_for_before_it_runs() -> None:
    budget = Budget()
    fullmatch("1" * 1000, "[0-9]{6}", budget)
    assert budget.limit - budget.left == 1000 * 10
    with pytest.raises(ExpressionError) as caught:
        fullmatch("a" * 65_536, ".{0,1000}", Budget())  # 65,536 × ~9,000 instructions
    assert caught.value.key == "error.expr.too_much_work"


@pytest.mark.parametrize(
    ("pattern", "position"),
    [("a{2}", -1), ("a{2,}", -1), ("a{2,5}", -1), ("a{", 1), ("x{1,2", 1), ("\\x{41}{3}", -1)],
)
def test_stray_brace(pattern: str, position: int) -> None:
    assert stray_brace(pattern) == position


# Patterns both engines accept mean the same: no `{` read as itself, no class of
# characters whose meaning differs (\d, \w, \s, \b are left out of the alphabet).
PIECES = ["a", "b", "ab", "|", "*", "+", "?", "(", ")", "(?:", "[", "]", "^", "-", "."]
PIECES += ["{", "}", "{2}", "{1,2}", "{,2}", "{2,}", ",", "1", "$", "\\.", "\\{", "[^a]"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
    st.lists(st.text(alphabet="ab.{},1", max_size=6), min_size=1, max_size=4),
)
def test_accepted_patterns_match_as_pythons_re_does(pattern: str, texts: list[str]) -> None:
    try:
        compile_pattern(pattern)
    except ExpressionError:
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # "possible nested set"
            python = re.compile(pattern)
    except (re.error, OverflowError):
        return  # RE2 is more lenient here and there; nothing matched either way
    for text in texts:
        assert fullmatch(text, pattern, Budget()) is (python.fullmatch(text) is not None), (
            pattern,
            text,
        )
