"""Checks of a questionnaire's expressions at import, before any answer exists: the
regular expressions written in them must be ones RE2 runs (forms/regex.py), and no
concat may grow without bound across calculations. The evaluator's own limits
(forms/limits.py) still stop what only answers reveal."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

from gridapp.forms.expr import Call, Chain, Expression, Literal, Node, Ref, Unary
from gridapp.forms.limits import MAX_COPIES, MAX_LABEL, MAX_STRING, ExpressionError
from gridapp.forms.regex import compile_pattern

#: A number, boolean or date written as text is never longer than this.
_SHORT = 400


def _children(node: Node) -> tuple[Node, ...]:
    match node:
        case Unary(operand=operand):
            return (operand,)
        case Call(args=args):
            return args
        case Chain(first=first, rest=rest):
            return (first, *(operand for _, operand in rest))
    return ()


def _patterns(node: Node) -> Iterator[tuple[str, int]]:
    if isinstance(node, Call) and node.name == "regex" and isinstance(node.args[1], Literal):
        value = node.args[1].value
        yield (value if isinstance(value, str) else str(value)), node.position
    for child in _children(node):
        yield from _patterns(child)


def pattern_errors(expr: Expression) -> list[ExpressionError]:
    """What is wrong with each regular expression written in `expr` (regex() with a
    literal pattern): one RE2 cannot run or that passes our limits. A pattern that comes
    from an answer is checked the same way when it is evaluated."""
    errors = []
    for pattern, position in _patterns(expr.tree):
        try:
            compile_pattern(pattern)
        except ExpressionError as exc:
            errors.append(exc.at(position))
    return errors


class Growth(NamedTuple):
    """A bound on the length of the text an expression makes: `chars` written in the
    expressions themselves, plus `copies` whole answers (each of any length)."""

    chars: int
    copies: int


_ANSWER = Growth(0, 1)
_SHORT_TEXT = Growth(_SHORT, 0)


def growth(expr: Expression, calculated: Mapping[str, Growth]) -> Growth:
    """The bound on what `expr` makes, given the bounds of the calculations it refers to
    (`calculated`; any other ${name} is one answer). ExpressionError at the first concat
    that could make more than MAX_STRING characters of written text or hold more than
    MAX_COPIES answers: a concat doubled across calculations is refused here, at import,
    long before it could take the laptop's memory."""
    return _growth(expr.tree, calculated)


def _growth(node: Node, calculated: Mapping[str, Growth]) -> Growth:
    match node:
        case Literal(value=str() as text):
            return Growth(len(text), 0)
        case Ref(name=name):
            return calculated.get(name, _ANSWER)
        case Call(name="concat", args=args):
            parts = [_growth(arg, calculated) for arg in args]
            total = Growth(sum(p.chars for p in parts), sum(p.copies for p in parts))
            if total.chars > MAX_STRING:
                raise ExpressionError(
                    f"concat() can make {total.chars:,} characters (at most {MAX_STRING:,})",
                    node.position,
                    key="error.expr.grows_text",
                    size=total.chars,
                    limit=MAX_STRING,
                )
            if total.copies > MAX_COPIES:
                raise ExpressionError(
                    f"concat() can hold {total.copies:,} copies of answers (at most {MAX_COPIES})",
                    node.position,
                    key="error.expr.grows_copies",
                    copies=total.copies,
                    limit=MAX_COPIES,
                )
            return total
        case Call(name="if" | "coalesce", args=args):
            found = [_growth(arg, calculated) for arg in args]
            choices = found[1:] if node.name == "if" else found
            return Growth(max(g.chars for g in choices), max(g.copies for g in choices))
        case Call(name="string" | "once" | "substr" | "normalize-space", args=args):  # ≤ text
            found = [_growth(arg, calculated) for arg in args]
            return found[0]
        case Call(name="indexed-repeat" | "selected-at", args=args):  # one answer, or a code
            for arg in args:
                _growth(arg, calculated)
            return _ANSWER
        case Call(name="jr:choice-name", args=args):  # a label
            for arg in args:
                _growth(arg, calculated)
            return Growth(MAX_LABEL, 0)
    for child in _children(node):
        _growth(child, calculated)
    return _SHORT_TEXT  # numbers, booleans, dates: short whatever their inputs
