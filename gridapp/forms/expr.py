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

Limits (forms/limits.py): regex() runs on RE2 in linear time (forms/regex.py); strings an
expression builds and the work of one evaluation are bounded (docs/expressions.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeAlias

from gridapp.forms.limits import Budget, ExpressionError, text_size
from gridapp.forms.regex import fullmatch
from gridapp.forms.values import FUNCTIONS, Value, binary, normalise, to_number, to_str, truthy

__all__ = ["Budget", "Expression", "ExpressionError", "parse", "to_text", "truthy"]

MAX_LENGTH = 2000
MAX_DEPTH = 50


@dataclass(frozen=True, slots=True)
class Literal:
    value: int | float | str | None  # None: `null`, the empty value
    text: str  # canonical source text; numbers keep their spelling


@dataclass(frozen=True, slots=True)
class Ref:
    name: str  # "." is the current question's value


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # a bare name in a choice_filter: the choice's own column


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


Node: TypeAlias = Literal | Ref | Column | Unary | Chain | Call


class Context:
    """What an expression sees beyond the answers, inside a form being filled (the
    engine's scope): the current repeat instance, the moment, the instances of a
    repeat, a choice's label. Without one, position() and the like are empty."""

    position: int | None = None  # 1-based index of the current repeat instance
    now: str | None = None  # YYYY-MM-DDTHH:MM

    def across(self, name: str, repeat: str) -> list[Any] | None:
        """The answers to `name` in each instance of `repeat`, in order."""
        return None

    def choice_name(self, value: str, question: str) -> str | None:
        """The label of choice `value` of question `question`."""
        return None


_KEYWORDS = frozenset({"and", "or", "div", "mod"})
_BINDING = {"or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4}
_BINDING |= {"+": 5, "-": 5, "*": 6, "div": 6, "mod": 6}
_ARITY: dict[str, tuple[int, int | None]] = {
    "selected": (2, 2), "count-selected": (1, 1), "string-length": (1, 1), "if": (3, 3),
    "not": (1, 1), "true": (0, 0), "false": (0, 0), "coalesce": (2, 2), "number": (1, 1),
    "int": (1, 1), "round": (1, 2), "concat": (1, None), "today": (0, 0), "regex": (2, 2),
    "contains": (2, 2), "starts-with": (2, 2),
    # over a repeat's instances, and the rest of ODK's everyday functions
    "count": (1, 1), "sum": (1, None), "max": (1, None), "min": (1, None),
    "position": (0, 1), "indexed-repeat": (3, 3), "now": (0, 0), "string": (1, 1),
    "substr": (2, 3), "boolean": (1, 1), "floor": (1, 1), "ceiling": (1, 1), "abs": (1, 1),
    "pow": (2, 2), "selected-at": (2, 2), "jr:choice-name": (2, 2), "once": (1, 1),
    "decimal-date-time": (1, 1), "date": (1, 1), "normalize-space": (1, 1),
}  # fmt: skip
_TOKEN = re.compile(
    r"""(?P<space>\s+)
    | (?P<num>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)
    | (?P<ref>\$\{[A-Za-z_][A-Za-z0-9_]*\})
    | (?P<name>(?:jr:)?[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*)
    | (?P<str>'[^']*'|"[^"]*")
    | (?P<op>!=|<=|>=|\.\.|[=<>+\-*(),.])""",
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

    def __init__(self, source: str, columns: bool = False) -> None:
        self.tokens = _tokenize(source)
        self.index = 0
        self.names: set[str] = set()
        self.allow_columns = columns
        self.columns: set[str] = set()

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
        if token.text in (".", ".."):
            return Ref(token.text)
        if token.kind != "name" and token.text not in ("-", "("):
            raise ExpressionError(f"unexpected {token.describe()}", token.pos)
        if depth >= MAX_DEPTH:
            raise ExpressionError(f"nested more than {MAX_DEPTH} deep", token.pos)
        if token.text == "null" and self.tokens[self.index].text != "(":
            # XPath has no null: a form writing one means the empty value (as ODK reads
            # a path to nothing). The WHO verbal autopsy form does.
            return Literal(None, "null")
        if token.kind == "name" and self.allow_columns and self.tokens[self.index].text != "(":
            self.columns.add(token.text)  # a column of the choice being filtered
            return Column(token.text)
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
        if name == "indexed-repeat" and not all(
            isinstance(a, Ref) and a.name not in (".", "..") for a in args[:2]
        ):
            raise ExpressionError("indexed-repeat() takes ${question}, ${repeat}, n", token.pos)
        return Call(name, tuple(args), token.pos)


@dataclass(frozen=True, slots=True)
class _Evaluator:
    answers: Mapping[str, Any]
    current: Value
    today: str | None
    budget: Budget
    columns: Mapping[str, Any]
    context: Context | None

    def evaluate(self, node: Node) -> Value:
        self.budget.spend(1)
        match node:
            case Literal(value=value):
                return value
            case Ref(name="."):
                return self.current
            case Ref(name=".."):
                return None
            case Column(name=name):
                return normalise(self.columns.get(name))
            case Ref(name=name):
                answer = self.answers.get(name)
                if isinstance(answer, list | tuple):
                    self.budget.spend(len(answer))
                return normalise(answer)
            case Unary(operand=operand):
                inner = self.evaluate(operand)
                self.budget.spend(text_size(inner))
                number = to_number(inner)
                return None if number is None else -number
            case Call(name="if", args=args):
                return self.evaluate(args[1] if truthy(self.evaluate(args[0])) else args[2])
            case Call(name="today") if self.today is None:
                raise ExpressionError("today() needs today's date", node.position)
            case Call(name="today"):
                return self.today
            case Call(name="position"):
                return self.context.position if self.context else None
            case Call(name="now"):
                moment = self.context.now if self.context else None
                return moment or (None if self.today is None else f"{self.today}T00:00")
            case Call(name="indexed-repeat", args=(Ref(name=name), Ref(name=repeat), nth)):
                number = to_number(self.evaluate(nth))
                values = self.context.across(name, repeat) if self.context else None
                if number is None or not isinstance(values, list):
                    return None
                self.budget.spend(len(values))
                index = int(number) - 1
                found = values[index] if 0 <= index < len(values) else None
                self.budget.spend(text_size(found))
                return normalise(found)
            case Call(name="jr:choice-name", args=args):
                value, question = (to_str(self.evaluate(arg)) for arg in args)
                named = self.context.choice_name(value, question) if self.context else None
                return value if named is None else named
            case Call(name=name, args=args):
                values = [self.evaluate(arg) for arg in args]
                try:
                    self.budget.spend(sum(map(text_size, values)))
                    if name == "regex":
                        return fullmatch(to_str(values[0]), to_str(values[1]), self.budget)
                    return FUNCTIONS[name](values)
                except ExpressionError as exc:
                    raise exc.at(node.position) from None
            case Chain(first=first, rest=rest) if rest[0][0] in ("and", "or"):
                truths = (truthy(self.evaluate(item)) for item in (first, *(n for _, n in rest)))
                return any(truths) if rest[0][0] == "or" else all(truths)  # short-circuits
            case Chain(first=first, rest=rest):
                result = self.evaluate(first)
                for op, operand in rest:
                    right = self.evaluate(operand)
                    self.budget.spend(text_size(result) + text_size(right))
                    result = binary(op, result, right)
                return result


@dataclass(frozen=True)
class Expression:
    """A parsed expression; make one with parse()."""

    source: str
    tree: Node = field(repr=False, compare=False)
    names: frozenset[str] = field(repr=False, compare=False)
    columns: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    def evaluate(
        self,
        answers: Mapping[str, Any],
        current: Any = None,
        today: str | None = None,
        budget: Budget | None = None,
        columns: Mapping[str, Any] | None = None,
        context: Context | None = None,
    ) -> Any:
        """The value, given answers by name, the current question's value and today;
        within `budget` (a fresh one of MAX_STEPS if none is given). `columns`: a
        choice's columns, for the bare names of a choice_filter."""
        try:
            evaluator = _Evaluator(
                answers, normalise(current), today, budget or Budget(), columns or {}, context
            )
            return evaluator.evaluate(self.tree)
        except (ArithmeticError, ValueError, RecursionError) as exc:
            raise ExpressionError(f"cannot evaluate: {exc}") from None

    def references(self) -> frozenset[str]:
        """The question names used as ${name}."""
        return self.names


def parse(source: str, columns: bool = False) -> Expression:
    """Parse `source`; ExpressionError carries the offending character offset. With
    `columns` (a choice_filter), a bare name is a column of the choice being filtered."""
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"longer than {MAX_LENGTH} characters", MAX_LENGTH)
    parser = _Parser(source, columns)
    tree = parser.expression(0, 0)
    if (token := parser.tokens[parser.index]).kind != "end":
        raise ExpressionError(f"unexpected {token.describe()}", token.pos)
    return Expression(source, tree, frozenset(parser.names), frozenset(parser.columns))


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
            return name if name in (".", "..") else f"${{{name}}}"
        case Column(name=name):
            return name
        case Unary(operand=operand):
            text = "-" + _render(operand, isinstance(operand, Chain))
        case Call(name=name, args=args):
            text = f"{name}({', '.join(_render(arg) for arg in args)})"
        case Chain(first=first, rest=rest):
            text = _render(first, _level(first) < _level(node))
            for op, operand in rest:
                text += f" {op} {_render(operand, _level(operand) <= _level(node))}"
    return f"({text})" if parens else text
