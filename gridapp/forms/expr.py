"""A safe expression language for questionnaire logic (relevance, constraints,
calculations), the subset of ODK XLSForm expressions office staff write. No eval/exec:
a tokenizer, a precedence-climbing (Pratt) parser into frozen dataclasses, a tree walker.
Grammar, lowest precedence first; binary operators are left-associative::

    expression := and ("or" and)*
    and        := equality ("and" equality)*
    equality   := relation (("=" | "!=") relation)*
    relation   := additive (("<" | "<=" | ">" | ">=") additive)*
    additive   := term (("+" | "-") term)*
    term       := unary (("*" | "div" | "mod") unary)*
    unary      := "-" unary | primary
    primary    := NUMBER | STRING | "${" NAME "}" | "." | "(" expression ")"
                | FUNCTION "(" [expression ("," expression)*] ")"

NUMBER: 12, 2.5, 3. or .5. STRING: '...' or "..." without escapes. NAME: ASCII letters,
digits, _, not starting with a digit. FUNCTION: a known word such as count-selected.
Keywords are lowercase. Values: None (unanswered), bool, int, float, str, list[str]
(multi-select); dates are ISO strings. At most 2,000 characters; parentheses, calls and
unary minus nest at most 50 deep.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, NamedTuple, TypeAlias

MAX_LENGTH = 2000
MAX_DEPTH = 50
MAX_PATTERN = 200

Value: TypeAlias = bool | int | float | str | list[str] | None


class ExpressionError(Exception):
    """A malformed expression, or one that cannot be evaluated."""

    def __init__(self, message: str, position: int = -1) -> None:
        super().__init__(message if position < 0 else f"{message} (at character {position})")
        self.message = message
        self.position = position


@dataclass(frozen=True, slots=True)
class Literal:
    value: int | float | str
    text: str  # canonical source text; numbers keep their spelling


@dataclass(frozen=True, slots=True)
class Ref:
    name: str  # "." is the current question's value


@dataclass(frozen=True, slots=True)
class Unary:
    operand: Node


@dataclass(frozen=True, slots=True)
class Chain:
    first: Node
    rest: tuple[tuple[str, Node], ...]  # operators of one precedence level, left to right


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Node, ...]
    position: int = field(compare=False)


Node: TypeAlias = Literal | Ref | Unary | Chain | Call

_KEYWORDS = frozenset({"and", "or", "div", "mod"})
_BINDING = {"or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4}
_BINDING |= {"+": 5, "-": 5, "*": 6, "div": 6, "mod": 6}
_ARITY: dict[str, tuple[int, int | None]] = {
    "selected": (2, 2), "count-selected": (1, 1), "string-length": (1, 1), "if": (3, 3),
    "not": (1, 1), "true": (0, 0), "false": (0, 0), "coalesce": (2, 2), "number": (1, 1),
    "int": (1, 1), "round": (1, 2), "concat": (1, None), "today": (0, 0), "regex": (2, 2),
    "contains": (2, 2), "starts-with": (2, 2),
}  # fmt: skip
_TOKEN = re.compile(
    r"""(?P<space>\s+)
    | (?P<num>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)
    | (?P<ref>\$\{[A-Za-z_][A-Za-z0-9_]*\})
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*)
    | (?P<str>'[^']*'|"[^"]*")
    | (?P<op>!=|<=|>=|[=<>+\-*(),.])""",
    re.VERBOSE,
)
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


class _Token(NamedTuple):
    kind: str  # num str ref name op end
    text: str
    pos: int

    def describe(self) -> str:
        return "end of expression" if self.kind == "end" else repr(self.text)


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            known = {"'": "unterminated string", '"': "unterminated string"}
            known["$"] = "malformed reference; write ${name}"
            raise ExpressionError(known.get(source[pos], f"unexpected {source[pos]!r}"), pos)
        kind, text, end = match.lastgroup or "", match.group(), match.end()
        if (kind == "num" or text == ".") and end < len(source) and source[end] in _WORD_CHARS:
            raise ExpressionError(f"unexpected {source[end]!r} after {text!r}", end)
        if kind != "space":
            tokens.append(_Token("op" if text in _KEYWORDS else kind, text, pos))
        pos = end
    tokens.append(_Token("end", "", len(source)))
    return tokens


class _Parser:
    """Precedence climbing; `depth` counts the parentheses, calls and minuses around."""

    def __init__(self, source: str) -> None:
        self.tokens = _tokenize(source)
        self.index = 0
        self.names: set[str] = set()

    def advance(self) -> _Token:
        self.index += 1
        return self.tokens[self.index - 1]

    def close(self, opening: _Token, expected: str) -> None:
        token = self.advance()
        if token.kind == "end":
            raise ExpressionError("unclosed '('", opening.pos)
        if token.text != ")":
            raise ExpressionError(f"expected {expected}, found {token.describe()}", token.pos)

    def expression(self, min_binding: int, depth: int) -> Node:
        left = self.prefix(depth)
        while True:
            token = self.tokens[self.index]
            binding = _BINDING.get(token.text, 0) if token.kind == "op" else 0
            if binding <= min_binding:
                return left
            self.index += 1
            right = self.expression(binding, depth)
            if isinstance(left, Chain) and _BINDING[left.rest[0][0]] == binding:
                left = Chain(left.first, (*left.rest, (token.text, right)))
            else:
                left = Chain(left, ((token.text, right),))

    def prefix(self, depth: int) -> Node:
        token = self.advance()
        if token.kind == "num":
            number = float(token.text) if "." in token.text else int(token.text)
            if number == math.inf:
                raise ExpressionError("number too large", token.pos)
            return Literal(number, token.text)
        if token.kind == "str":
            text = token.text[1:-1]
            return Literal(text, f'"{text}"' if "'" in text else f"'{text}'")
        if token.kind == "ref":
            self.names.add(token.text[2:-1])
            return Ref(token.text[2:-1])
        if token.text == ".":
            return Ref(".")
        if token.kind != "name" and token.text not in ("-", "("):
            raise ExpressionError(f"unexpected {token.describe()}", token.pos)
        if depth >= MAX_DEPTH:
            raise ExpressionError(f"nested more than {MAX_DEPTH} deep", token.pos)
        if token.kind == "name":
            return self.call(token, depth + 1)
        if token.text == "-":
            return Unary(self.prefix(depth + 1))
        inner = self.expression(0, depth + 1)
        self.close(token, "')'")
        return inner

    def call(self, token: _Token, depth: int) -> Node:
        name, opening = token.text, self.advance()
        if opening.text != "(":
            hint = "" if "-" in name else f"; write ${{{name}}} for a question"
            raise ExpressionError(f"unknown name {name!r}{hint}", token.pos)
        if name not in _ARITY:
            raise ExpressionError(f"unknown function {name}()", token.pos)
        args: list[Node] = []
        if self.tokens[self.index].text != ")":
            args.append(self.expression(0, depth))
            while self.tokens[self.index].text == ",":
                self.index += 1
                args.append(self.expression(0, depth))
        self.close(opening, "',' or ')'")
        low, high = _ARITY[name]
        if len(args) < low or (high is not None and len(args) > high):
            count = f"at least {low}" if high is None else f"{low}" + f" to {high}" * (low != high)
            raise ExpressionError(f"{name}() takes {count} argument(s)", token.pos)
        return Call(name, tuple(args), token.pos)


_NUMERIC = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_EMPTY: tuple[Value, ...] = (None, "", [])  # unanswered; `in` compares by equality
_YES_NO = dict.fromkeys(("yes", "true", "1", "是"), True)
_YES_NO |= dict.fromkeys(("no", "false", "0", "否"), False)


def truthy(value: Any) -> bool:
    """ODK's boolean(): None, '', 0, NaN and an empty multi-select are false."""
    return value is not None and value == value and bool(value)


def _finite(value: int | float) -> int | float | None:
    """Numbers beyond about ±1e300, inf and NaN are not numbers here."""
    ok = value.bit_length() <= 1000 if isinstance(value, int) else math.isfinite(value)
    return value if ok else None


def _to_number(value: Value) -> int | float | None:
    if isinstance(value, list):
        return _to_number(value[0]) if len(value) == 1 else None
    if isinstance(value, str):
        if not _NUMERIC.fullmatch(text := value.strip()):
            return None
        return _finite(float(text) if "." in text or len(text) > 300 else int(text))
    return None if value is None else _finite(int(value) if isinstance(value, bool) else value)


def _to_str(value: Value) -> str:
    if value is None or isinstance(value, bool):
        return {None: "", True: "true", False: "false"}[value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return " ".join(value) if isinstance(value, list) else str(value)


def _codes(value: Value) -> list[str]:
    """A multi-select's codes; other answers are split on spaces, as ODK does."""
    return value if isinstance(value, list) else _to_str(value).split()


def _normalise(value: Any) -> Value:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [v if isinstance(v, str) else _to_str(_normalise(v)) for v in value]
    raise ExpressionError(f"unsupported answer type {type(value).__name__}")


def _equals(a: Value, b: Value) -> bool:
    if a is None or b is None:
        return a in _EMPTY and b in _EMPTY
    if isinstance(b, bool):
        a, b = b, a
    if isinstance(a, bool):  # a yes/no answer = 'no', or any value by its truth
        meaning = _YES_NO.get(b.strip().lower()) if isinstance(b, str) else None
        return a == (truthy(b) if meaning is None else meaning)
    if isinstance(a, list) and isinstance(b, list):
        return sorted(a) == sorted(b)
    if isinstance(b, list):
        a, b = b, a
    if isinstance(a, list):
        return _equals(a[0], b) if len(a) == 1 else (not a and b == "")
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    x = _to_number(a)
    return x is not None and x == _to_number(b)


def _order(op: str, a: Value, b: Value) -> bool:
    x, y = _to_number(a), _to_number(b)
    if x is not None and y is not None:
        return bool(_ORDER[op](x, y))
    if isinstance(a, str) and isinstance(b, str) and "" not in (a, b):
        return bool(_ORDER[op](a, b))  # e.g. ISO dates
    return False


def _binary(op: str, a: Value, b: Value) -> Value:
    if op in ("=", "!="):
        return _equals(a, b) == (op == "=")
    if op in _ORDER:
        return _order(op, a, b)
    x, y = _to_number(a), _to_number(b)
    if x is None or y is None or (op in ("div", "mod") and y == 0):
        return None
    if op in ("+", "-", "*"):
        return _finite(x + y if op == "+" else x - y if op == "-" else x * y)
    if isinstance(x, int) and isinstance(y, int):
        if op == "mod":  # the sign of the dividend, as in XPath
            return abs(x) % abs(y) * (1 if x >= 0 else -1)
        return x // y if x % y == 0 else _finite(x / y)
    return _finite(x / y if op == "div" else math.fmod(x, y))


def _round(args: list[Value]) -> int | float | None:
    number = _to_number(args[0])
    places = _to_number(args[1]) if len(args) > 1 else 0
    if number is None or places is None:
        return None
    if not -15 <= (digits := int(places)) <= 15:
        raise ExpressionError("round() takes between -15 and 15 digits")
    with localcontext() as context:  # half away from zero, on the decimal digits shown
        context.prec = 400
        exact = Decimal(number if isinstance(number, int) else repr(number))
        result = exact.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    return _finite(int(result) if digits <= 0 or isinstance(number, int) else float(result))


def _compile(pattern: str) -> re.Pattern[str]:
    if len(pattern) > MAX_PATTERN:
        raise ExpressionError(f"regular expression longer than {MAX_PATTERN} characters")
    try:
        return re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as exc:
        raise ExpressionError(f"bad regular expression: {exc}") from None


_FUNCTIONS: dict[str, Callable[[list[Value]], Value]] = {
    "selected": lambda a: _to_str(a[1]) in _codes(a[0]) or _equals(a[0], a[1]),
    "count-selected": lambda a: len(_codes(a[0])),
    "string-length": lambda a: len(_to_str(a[0])),
    "not": lambda a: not truthy(a[0]),
    "true": lambda a: True,
    "false": lambda a: False,
    "coalesce": lambda a: a[1] if a[0] in _EMPTY else a[0],
    "number": lambda a: _to_number(a[0]),
    "int": lambda a: None if (number := _to_number(a[0])) is None else int(number),
    "round": _round,
    "concat": lambda a: "".join(_to_str(value) for value in a),
    "regex": lambda a: _compile(_to_str(a[1])).fullmatch(_to_str(a[0])) is not None,
    "contains": lambda a: _to_str(a[1]) in _to_str(a[0]),
    "starts-with": lambda a: _to_str(a[0]).startswith(_to_str(a[1])),
}


@dataclass(frozen=True, slots=True)
class _Evaluator:
    answers: Mapping[str, Any]
    current: Value
    today: str | None

    def evaluate(self, node: Node) -> Value:
        match node:
            case Literal(value=value):
                return value
            case Ref(name=name):
                return self.current if name == "." else _normalise(self.answers.get(name))
            case Unary(operand=operand):
                number = _to_number(self.evaluate(operand))
                return None if number is None else -number
            case Call(name="if", args=args):
                return self.evaluate(args[1] if truthy(self.evaluate(args[0])) else args[2])
            case Call(name="today") if self.today is None:
                raise ExpressionError("today() needs today's date", node.position)
            case Call(name="today"):
                return self.today
            case Call(name=name, args=args):
                values = [self.evaluate(arg) for arg in args]
                try:
                    return _FUNCTIONS[name](values)
                except ExpressionError as exc:
                    raise ExpressionError(exc.message, node.position) from None
            case Chain(first=first, rest=rest) if rest[0][0] in ("and", "or"):
                truths = (truthy(self.evaluate(item)) for item in (first, *(n for _, n in rest)))
                return any(truths) if rest[0][0] == "or" else all(truths)  # short-circuits
            case Chain(first=first, rest=rest):
                result = self.evaluate(first)
                for op, operand in rest:
                    result = _binary(op, result, self.evaluate(operand))
                return result


@dataclass(frozen=True)
class Expression:
    """A parsed expression; make one with parse()."""

    source: str
    tree: Node = field(repr=False, compare=False)
    names: frozenset[str] = field(repr=False, compare=False)

    def evaluate(
        self, answers: Mapping[str, Any], current: Any = None, today: str | None = None
    ) -> Any:
        """The value, given answers by name, the current question's value and today."""
        try:
            return _Evaluator(answers, _normalise(current), today).evaluate(self.tree)
        except (ArithmeticError, ValueError, RecursionError) as exc:
            raise ExpressionError(f"cannot evaluate: {exc}") from None

    def references(self) -> frozenset[str]:
        """The question names used as ${name}."""
        return self.names


def parse(source: str) -> Expression:
    """Parse `source`; ExpressionError carries the offending character offset."""
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"longer than {MAX_LENGTH} characters", MAX_LENGTH)
    parser = _Parser(source)
    tree = parser.expression(0, 0)
    if (token := parser.tokens[parser.index]).kind != "end":
        raise ExpressionError(f"unexpected {token.describe()}", token.pos)
    return Expression(source, tree, frozenset(parser.names))


def to_text(expr: Expression) -> str:
    """Canonical source: minimal parentheses, spaces around binary operators and after
    commas. Should that pass MAX_LENGTH, the source as written, which parses the same."""
    text = _render(expr.tree)
    return text if len(text) <= MAX_LENGTH else expr.source


def _level(node: Node) -> int:
    return _BINDING[node.rest[0][0]] if isinstance(node, Chain) else 99


def _render(node: Node, parens: bool = False) -> str:
    match node:
        case Literal(text=text):
            return text
        case Ref(name=name):
            return "." if name == "." else f"${{{name}}}"
        case Unary(operand=operand):
            text = "-" + _render(operand, isinstance(operand, Chain))
        case Call(name=name, args=args):
            text = f"{name}({', '.join(_render(arg) for arg in args)})"
        case Chain(first=first, rest=rest):
            text = _render(first, _level(first) < _level(node))
            for op, operand in rest:
                text += f" {op} {_render(operand, _level(operand) <= _level(node))}"
    return f"({text})" if parens else text
