"""The expression language: every operator and function, precedence, ODK's None semantics,
error positions and limits; and properties: the parser raises only ExpressionError, the
evaluator agrees with an independent model, to_text round-trips, evaluation never crashes."""

from __future__ import annotations

import ast
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridapp.forms import expr as expr_module
from gridapp.forms.expr import MAX_DEPTH, MAX_LENGTH, ExpressionError, parse, to_text, truthy

TODAY = "2024-03-01"
ANSWERS: dict[str, Any] = {
    "age": 10,
    "code": "01",
    "text": "abc",
    "ms": ["a", "b"],
    "one": ["a"],
    "none_ms": [],
    "empty": "",
    "zero": 0,
    "yes": True,
    "no": False,
    "half": 0.5,
    "dob": "2023-12-31",
    "big": 10**200,
}


def run(source: str, current: Any = None, answers: dict[str, Any] | None = None) -> Any:
    return parse(source).evaluate(ANSWERS if answers is None else answers, current, TODAY)


def same(actual: Any, expected: Any) -> bool:
    """Equal, and a boolean exactly when expected is one (True == 1 would hide bugs)."""
    if isinstance(expected, bool) or isinstance(actual, bool) or expected is None:
        return type(actual) is type(expected) and actual == expected
    return bool(actual == expected)


# --- tables -----------------------------------------------------------------------------

OPERATORS = [
    ("1 + 2 * 3", 7),
    ("(1 + 2) * 3", 9),
    ("10 - 4 - 3", 3),
    ("10 - (4 - 3)", 9),
    ("2 * 3 mod 4", 2),
    ("7 div 2", 3.5),
    ("6 div 2", 3),
    ("12 div 2 div 3", 2),
    ("7 mod 3", 1),
    ("-7 mod 3", -1),
    ("7 mod -3", 1),
    ("5.5 mod 2", 1.5),
    ("1 div 0", None),
    ("1 mod 0", None),
    ("0 div 0", None),
    ("-2 * -3", 6),
    ("- - 2", 2),
    ("-(2 + 3)", -5),
    ("-2 + 3", 1),
    ("2.5 + .5", 3.0),
    ("3. * 2", 6.0),
    ("1 = 1", True),
    ("1 != 1", False),
    ("1 = 1.0", True),
    ("1 < 2", True),
    ("2 <= 2", True),
    ("1 > 2", False),
    ("2 >= 3", False),
    ("1 + 1 = 2", True),
    ("1 + 6 div 2", 4),
    ("10 - 5 mod 3", 8),
    ("3 > 2 = 2 > 1", True),
    ("0 or 1 = 2", False),
    ("1 and 0 < 1", True),
    ("1 < 2 = true()", True),
    ("3 > 2 > 1", False),
    ("1 = 1 and 2 = 2", True),
    ("0 or 1 and 0", False),
    ("1 or 0 and 0", True),
    ("(1 or 0) and 0", False),
    ("2 and 3", True),
    ("0 or ''", False),
    ("'a' = 'a'", True),
    ("'a' != \"a\"", False),
    ("'a' < 'b'", True),
    ('"it\'s" = "it\'s"', True),
    ("true() + 1", 2),
    ("${yes} + ${yes}", 2),
    ("${big} * ${big}", None),
    ("${big} + 1", 10**200 + 1),
]

NONE_SEMANTICS = [
    ("${missing}", None),
    ("${missing} = ''", True),
    ('${missing} = ""', True),
    ("${missing} != ''", False),
    ("${missing} = 0", False),
    ("${missing} != 0", True),
    ("${missing} = 'x'", False),
    ("${missing} = ${other}", True),
    ("${missing} = ${none_ms}", True),
    ("${missing} = false()", False),
    ("${missing} < 5", False),
    ("${missing} >= 5", False),
    ("${missing} > ''", False),
    ("${missing} + 1", None),
    ("1 - ${missing}", None),
    ("${missing} * 0", None),
    ("-${missing}", None),
    ("${missing} div 1", None),
    ("${missing} and 1", False),
    ("${missing} or 1", True),
    ("not(${missing})", True),
    ("${empty} = ''", True),
    ("${empty} < 'a'", False),
    ("${zero} = ''", False),
    ("${zero} or ${empty} or ${none_ms}", False),
    ("${none_ms} = ''", True),
    ("${empty} = false()", True),
]

NUMERIC_STRINGS = [
    ("${age} > '5'", True),  # numerically; as strings '10' > '5' would be false
    ("${age} = '10'", True),
    ("${age} = '10.0'", True),
    ("${code} = 1", True),
    ("${code} = '1'", False),  # two strings compare as strings
    ("'10' > '9'", True),  # both numeric: numerically
    ("${text} > 5", False),
    ("${text} = 5", False),
    ("${age} + '2'", 12),
    ("${age} * ' 2 '", 20),
    ("${text} + 1", None),
    ("${half} < '1'", True),
    ("${yes} = 1", True),
    ("${no} < 1", True),
]

YES_NO = [
    ("${yes} = true()", True),
    ("${yes} = 'yes'", True),
    ("${yes} = 'Yes'", True),
    ("${yes} = 'no'", False),
    ("${no} = 'no'", True),
    ("${no} = 'false'", True),
    ("${no} = '否'", True),
    ("${no} != 'yes'", True),
    ("${no} = 0", True),
    ("${yes} = 'maybe'", True),  # other text: by its truth, as in XPath
    ("selected(${yes}, 'yes')", True),
    ("selected(${no}, 'yes')", False),
    ("${missing} = 'no'", False),
]

DATES = [
    ("${dob} < '2024-01-01'", True),
    ("${dob} >= '2023-12-31'", True),
    ("${dob} = '2023-12-31'", True),
    ("${dob} < today()", True),
    ("today() = '2024-03-01'", True),
    ("today()", TODAY),
    ("${dob} > 5", False),
    ("${missing} < today()", False),
    ("concat('on ', today())", "on 2024-03-01"),
]

MULTI_SELECT = [
    ("selected(${ms}, 'a')", True),
    ("selected(${ms}, 'c')", False),
    ('selected(${ms}, "b")', True),
    ("selected(${one}, 'a')", True),
    ("selected(${missing}, 'a')", False),
    ("selected(${none_ms}, 'a')", False),
    ("selected(${text}, 'abc')", True),
    ("selected('a b', 'b')", True),
    ("selected(${age}, 10)", True),
    ("count-selected(${ms})", 2),
    ("count-selected(${one})", 1),
    ("count-selected(${none_ms})", 0),
    ("count-selected(${missing})", 0),
    ("count-selected('a b c')", 3),
    ("${one} = 'a'", True),
    ("'a' = ${one}", True),
    ("${ms} = 'a'", False),
    ("${ms} != 'a'", True),
    ("${ms} = ${ms}", True),
    ("${one} > 'A'", False),  # ordering a list with a string: not a number, not a text
    ("${ms} and 1", True),
    ("${none_ms} or 0", False),
    ("concat(${ms})", "a b"),
]

FUNCTIONS = [
    ("true()", True),
    ("false()", False),
    ("not(0)", True),
    ("not('')", True),
    ("not('a')", False),
    ("not(true())", False),
    ("if(true(), 1, 2)", 1),
    ("if(0, 1, 2)", 2),
    ("if(${missing}, 'y', 'n')", "n"),
    ("if(true(), 1, regex('a', '['))", 1),  # lazy: the bad branch never runs
    ("if(false(), today(), 'x')", "x"),
    ("coalesce(${missing}, 'x')", "x"),
    ("coalesce(${empty}, 'x')", "x"),
    ("coalesce(${zero}, 'x')", 0),
    ("coalesce(${age}, 1)", 10),
    ("string-length('abc')", 3),
    ("string-length(${missing})", 0),
    ("string-length('中文')", 2),
    ("string-length(12)", 2),
    ("number('12')", 12),
    ("number(' 1.5 ')", 1.5),
    ("number('abc')", None),
    ("number('')", None),
    ("number(true())", 1),
    ("number(${missing})", None),
    ("int(2.7)", 2),
    ("int(-2.7)", -2),
    ("int('3.9')", 3),
    ("int(7)", 7),
    ("int(${missing})", None),
    ("round(2.5)", 3),
    ("round(-2.5)", -3),
    ("round(2.675, 2)", 2.68),
    ("round(1.25, 1)", 1.3),
    ("round(1234, -2)", 1200),
    ("round(1250, -2)", 1300),
    ("round(-1250, -2)", -1300),
    ("round(5, 2)", 5),
    ("round(${missing}, 2)", None),
    ("round(2.5, ${missing})", None),
    ("concat('a', 1, true(), ${missing}, 2.5, 3.0)", "a1true2.53"),
    ("concat('x')", "x"),
    ("regex('13812345678', '1[3-9][0-9]{9}')", True),
    ("regex('abc', 'b')", False),  # the whole text must match
    ("regex(${missing}, '.*')", True),
    ("contains('hello', 'ell')", True),
    ("contains('hello', 'xyz')", False),
    ("starts-with('hello', 'he')", True),
    ("starts-with('hello', 'lo')", False),
    ("starts-with(${missing}, '')", True),
]

CURRENT = [
    (". = ''", None, True),
    (". > 3", 5, True),
    (". > 3", None, False),
    ("string-length(.) <= 3", "abcd", False),
    ("selected(., 'x')", ["x", "y"], True),
    (". + 1", 1.5, 2.5),
    (".", ("a", "b"), ["a", "b"]),
    ("regex(., '[0-9]{6}')", "100080", True),
]


@pytest.mark.parametrize(
    ("source", "expected"),
    OPERATORS + NONE_SEMANTICS + NUMERIC_STRINGS + YES_NO + DATES + MULTI_SELECT + FUNCTIONS,
)
def test_evaluates(source: str, expected: Any) -> None:
    assert same(run(source), expected), run(source)


def test_exact_integer_division_stays_an_integer() -> None:
    assert isinstance(run("6 div 2"), int) and isinstance(run("7 div 2"), float)
    assert run("(${big} * 10) div 10") == 10**200  # exact, no float rounding


@pytest.mark.parametrize(("source", "current", "expected"), CURRENT)
def test_dot_is_the_current_value(source: str, current: Any, expected: Any) -> None:
    assert same(run(source, current), expected)


def test_and_or_short_circuit() -> None:
    assert run("false() and regex('a', '[')") is False
    assert run("true() or regex('a', '[')") is True
    with pytest.raises(ExpressionError):
        run("true() and regex('a', '[')")


TRUTHY: list[tuple[Any, bool]] = [
    (None, False),
    ("", False),
    (0, False),
    (0.0, False),
    ([], False),
    (math.nan, False),
]
TRUTHY += [(False, False), (True, True), (1, True), (-0.5, True), ("false", True), ([""], True)]


@pytest.mark.parametrize(("value", "expected"), TRUTHY)
def test_truthy(value: Any, expected: bool) -> None:
    assert truthy(value) is expected


ERRORS = [
    ("", 0, "unexpected end of expression"),
    ("   ", 3, "unexpected end of expression"),
    ("1 +", 3, "unexpected end of expression"),
    ("(1 + 2", 0, "unclosed '('"),
    ("not(1", 3, "unclosed '('"),
    ("1 + 2)", 5, "unexpected ')'"),
    ("1 2", 2, "unexpected '2'"),
    ("1 = = 2", 4, "unexpected '='"),
    ("foo(1)", 0, "unknown function foo()"),
    ("1 + count_selected(${a})", 4, "unknown function count_selected()"),
    ("not(1, 2)", 0, "not() takes 1 argument(s)"),
    ("round(1, 2, 3)", 0, "round() takes 1 to 2 argument(s)"),
    ("concat()", 0, "concat() takes at least 1 argument(s)"),
    ("true(1)", 0, "true() takes 0 argument(s)"),
    ("'abc", 0, "unterminated string"),
    ('1 = "abc', 4, "unterminated string"),
    ("1 # 2", 2, "unexpected '#'"),
    ("（1）", 0, "unexpected '（'"),
    ("${a b}", 0, "malformed reference; write ${name}"),
    ("$a", 0, "malformed reference; write ${name}"),
    ("${1a}", 0, "malformed reference; write ${name}"),
    ("age > 5", 0, "unknown name 'age'; write ${age} for a question"),
    ("1 AND 2", 2, "unexpected 'AND'"),
    ("3x", 1, "unexpected 'x' after '3'"),
    ("1.2.3", 3, "unexpected '.3'"),
    ("if(1, 2 3)", 8, "expected ',' or ')', found '3'"),
    ("(1 2)", 3, "expected ')', found '2'"),
    ("and 1", 0, "unexpected 'and'"),
    (",", 0, "unexpected ','"),
    ("${a} = 'x' or", 13, "unexpected end of expression"),
]


@pytest.mark.parametrize(("source", "position", "message"), ERRORS)
def test_syntax_errors_say_where(source: str, position: int, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(source)
    assert (caught.value.position, caught.value.message) == (position, message)
    assert str(position) in str(caught.value)


EVALUATION_ERRORS = [
    ("1 + regex('a', '[')", {}, 4, "bad regular expression"),
    ("regex('a', 'a{99999999999}')", {}, 0, "bad regular expression"),
    ("regex('a', ${p})", {"p": "a" * 201}, 0, "regular expression longer than 200"),
    ("round(1.5, 16)", {}, 0, "round() takes between -15 and 15 digits"),
    ("${a}", {"a": object()}, -1, "unsupported answer type object"),
    ("concat(${a})", {"a": 10**5000}, -1, "cannot evaluate"),
]


@pytest.mark.parametrize(("source", "answers", "position", "message"), EVALUATION_ERRORS)
def test_evaluation_errors(
    source: str, answers: dict[str, Any], position: int, message: str
) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(source).evaluate(answers, None, TODAY)
    assert caught.value.position == position
    assert caught.value.message.startswith(message)


def test_regex_pattern_of_200_characters_is_allowed() -> None:
    assert parse("regex(${t}, ${p})").evaluate({"t": "a" * 200, "p": "a" * 200}) is True


def test_today_comes_from_the_caller_never_the_clock() -> None:
    with pytest.raises(ExpressionError, match="today"):
        parse("today()").evaluate({})
    assert parse("today()").evaluate({}, today="1999-01-02") == "1999-01-02"


def test_length_limit() -> None:
    longest = "1" + "+1" * ((MAX_LENGTH - 1) // 2)
    assert len(longest) == MAX_LENGTH - 1
    assert run(longest) == 1000
    assert run(longest + " ") == 1000
    with pytest.raises(ExpressionError) as caught:
        parse(longest + "  ")
    assert caught.value.position == MAX_LENGTH


@pytest.mark.parametrize(
    ("opening", "closing", "depth"), [("(", ")", 1), ("-", "", 1), ("not(", ")", 1), ("-(", ")", 2)]
)
def test_depth_limit(opening: str, closing: str, depth: int) -> None:
    levels = MAX_DEPTH // depth
    assert run(opening * levels + "1" + closing * levels) is not None
    with pytest.raises(ExpressionError) as caught:
        parse(opening * (levels + 1) + "1" + closing * (levels + 1))
    assert caught.value.message == f"nested more than {MAX_DEPTH} deep"
    assert caught.value.position == len(opening) * levels


def test_the_deepest_tree_the_limits_allow_still_evaluates() -> None:
    source = "1"
    for level in range(MAX_DEPTH):
        body = f"{source} * 1 + 1 < 1 = 1 and 1 or 1"  # six precedence levels per nesting
        source = f"if({body}, 1, 1)" if level % 2 else f"({body})"
    assert len(source) <= MAX_LENGTH
    expr = parse(source)
    assert expr.evaluate({}) == 1
    assert parse(to_text(expr)).evaluate({}) == 1


def test_references() -> None:
    expr = parse("${a} + ${b} * ${a} + . + count-selected(${c_1})")
    assert expr.references() == frozenset({"a", "b", "c_1"})
    assert parse("1 + .").references() == frozenset()


CANONICAL = [
    ("1+2*3", "1 + 2 * 3"),
    ("(1+2)*3", "(1 + 2) * 3"),
    ("((1))", "1"),
    ("(1-2)-3", "1 - 2 - 3"),
    ("1-(2-3)", "1 - (2 - 3)"),
    ("-(1+2)", "-(1 + 2)"),
    ("-(-1)", "--1"),
    ('${a}>5   and\tselected(${b},"x")', "${a} > 5 and selected(${b}, 'x')"),
    ("(${a} or ${b}) and ${c}", "(${a} or ${b}) and ${c}"),
    ("${a} or (${b} and ${c})", "${a} or ${b} and ${c}"),
    ("if(.='',1.50,.5)", "if(. = '', 1.50, .5)"),
    ('"it\'s"', '"it\'s"'),
    ("3 > 2 > 1", "3 > 2 > 1"),
    ("3 > (2 > 1)", "3 > (2 > 1)"),
    ("true( )", "true()"),
    ("1\u3000+\u30002", "1 + 2"),
]


@pytest.mark.parametrize(("source", "canonical"), CANONICAL)
def test_to_text(source: str, canonical: str) -> None:
    assert to_text(parse(source)) == canonical
    assert to_text(parse(canonical)) == canonical


def test_to_text_of_a_long_expression_still_parses() -> None:
    source = "+".join(["${a}"] * 399)  # the spaced form would pass the limit
    assert len(source) <= MAX_LENGTH < len(source.replace("+", " + "))
    assert parse(to_text(parse(source))).evaluate({"a": 1}) == 399


@pytest.mark.parametrize("module", ["expr", "values", "limits", "regex", "bounds"])
def test_no_eval_exec_or_compile(module: str) -> None:
    folder = Path(expr_module.__file__ or "").parent
    tree = ast.parse((folder / f"{module}.py").read_text(encoding="utf-8"))
    calls = [node.func for node in ast.walk(tree) if isinstance(node, ast.Call)]
    called = {func.id for func in calls if isinstance(func, ast.Name)}
    assert called and not called & {"eval", "exec", "compile", "__import__"}


# --- properties -------------------------------------------------------------------------

PREC = {"or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4}
PREC |= {"+": 5, "-": 5, "*": 6, "div": 6, "mod": 6}
NAMES = ("a", "b", "c")
Tree = tuple[Any, ...]

LEVELS = [[op for op in PREC if PREC[op] == level] for level in range(1, 7)]
operators = st.sampled_from(LEVELS).flatmap(st.sampled_from)  # each level equally often
small_values = st.one_of(st.none(), st.booleans(), st.integers(-4, 4))
leaves: st.SearchStrategy[Tree] = st.one_of(
    st.integers(0, 4).map(lambda n: ("lit", n)),
    st.sampled_from(NAMES).map(lambda name: ("ref", name)),
    st.just(("cur",)),
)


@st.composite
def trees(draw: st.DrawFn, depth: int = 4) -> Tree:
    """Mostly binary operators, so that precedence matters; shrinks toward leaves."""
    choice = draw(st.integers(0, 9)) if depth else 0
    if choice < 2:
        return draw(leaves)
    if choice < 7:
        op = draw(operators)
        return ("bin", op, draw(trees(depth - 1)), draw(trees(depth - 1)))
    kind, arity = [("neg", 1), ("not", 1), ("if", 3)][choice - 7]
    return (kind, *[draw(trees(depth - 1)) for _ in range(arity)])


def render(tree: Tree, full: bool) -> str:
    """Source text for a tree: minimal parentheses (relying on precedence) or full ones."""
    kind = tree[0]
    if kind == "lit":
        return str(tree[1])
    if kind == "ref":
        return f"${{{tree[1]}}}"
    if kind == "cur":
        return "."
    if kind == "neg":
        inner = render(tree[1], full)
        return f"-({inner})" if tree[1][0] == "bin" else f"-{inner}"
    if kind in ("not", "if"):
        return f"{kind}({', '.join(render(child, full) for child in tree[1:])})"
    _, op, left, right = tree
    left_text, right_text = render(left, full), render(right, full)
    if full or (left[0] == "bin" and PREC[left[1]] < PREC[op]):
        left_text = f"({left_text})"
    if full or (right[0] == "bin" and PREC[right[1]] <= PREC[op]):
        right_text = f"({right_text})"
    return f"{left_text} {op} {right_text}"


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value


def _truth(value: Any) -> bool:
    return value is not None and value != 0


def model(tree: Tree, answers: dict[str, Any], current: Any) -> Any:
    """What the language promises, computed directly from the tree."""
    kind = tree[0]
    if kind == "lit":
        return tree[1]
    if kind == "ref":
        return answers.get(tree[1])
    if kind == "cur":
        return current
    if kind == "neg":
        value = _number(model(tree[1], answers, current))
        return None if value is None else -value
    if kind == "not":
        return not _truth(model(tree[1], answers, current))
    if kind == "if":
        chosen = tree[2] if _truth(model(tree[1], answers, current)) else tree[3]
        return model(chosen, answers, current)
    op, a, b = tree[1], model(tree[2], answers, current), model(tree[3], answers, current)
    if op in ("and", "or"):
        return (_truth(a) and _truth(b)) if op == "and" else (_truth(a) or _truth(b))
    if op in ("=", "!="):
        if a is None or b is None:
            equal = a is None and b is None
        elif isinstance(a, bool) or isinstance(b, bool):
            equal = _truth(a) == _truth(b)
        else:
            equal = a == b
        return equal == (op == "=")
    x, y = _number(a), _number(b)
    if op in ("<", "<=", ">", ">="):
        if x is None or y is None:
            return False
        return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]
    if x is None or y is None:
        return None
    if op in ("+", "-", "*"):
        return x + y if op == "+" else x - y if op == "-" else x * y
    if y == 0:
        return None
    if op == "div":
        exact = isinstance(x, int) and isinstance(y, int) and x % y == 0
        return x // y if exact else x / y
    if isinstance(x, int) and isinstance(y, int):  # truncated division's remainder
        quotient = abs(x) // abs(y) * (1 if (x < 0) == (y < 0) else -1)
        return x - y * quotient
    return math.fmod(x, y)


@settings(max_examples=300, deadline=None)
@given(trees(), st.dictionaries(st.sampled_from(NAMES), small_values), small_values)
def test_evaluation_matches_the_model(tree: Tree, answers: dict[str, Any], current: Any) -> None:
    expected = model(tree, answers, current)
    for full in (False, True):
        source = render(tree, full)
        assert same(parse(source).evaluate(answers, current), expected), source
        canonical = to_text(parse(source))  # keeps exactly the parentheses needed
        assert same(parse(canonical).evaluate(answers, current), expected), canonical


ATOMS = ["0", "1", "7", "42", "2.5", ".5", "3.", "'a'", "''", '"b c"', "'12'"]
ATOMS += ["'2024-01-05'", "${a}", "${b}", "${c}", "${ms}", "${d}", ".", "true()", "false()"]
ATOMS += ["today()", '"it\'s"']
PATTERNS = ["'[0-9]+'", "'a|b'", "'['", "'(a'", "'.*'", "${a}"]


CALLS = [("selected", 2), ("count-selected", 1), ("string-length", 1), ("if", 3), ("not", 1)]
CALLS += [("coalesce", 2), ("number", 1), ("int", 1), ("round", 2), ("round", 1)]
CALLS += [("concat", 3), ("contains", 2), ("starts-with", 2)]


@st.composite
def sources(draw: st.DrawFn, depth: int = 4) -> str:
    """Well-formed source text using every construct."""
    choice = draw(st.integers(0, 9)) if depth else 0
    if choice < 2:
        return draw(st.sampled_from(ATOMS))
    inner = sources(depth - 1)
    if choice < 6:
        return f"{draw(inner)} {draw(operators)} {draw(inner)}"
    if choice < 8:
        return ["({})", "-{}"][choice - 6].format(draw(inner))
    if choice == 8:
        name, arity = draw(st.sampled_from(CALLS))
        return f"{name}({', '.join(draw(inner) for _ in range(arity))})"
    return f"regex({draw(inner)}, {draw(st.sampled_from(PATTERNS))})"


any_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**400, -(10**400), 2**1000, 10**5000]),
    st.floats(),
    st.text(alphabet="ab 12.-", max_size=8),
    st.lists(st.text(alphabet="abc", min_size=1, max_size=2), max_size=3),
    st.dates().map(lambda day: day.isoformat()),
)
answer_sets = st.dictionaries(st.sampled_from(["a", "b", "c", "ms", "d"]), any_value)
todays = st.one_of(st.none(), st.just(TODAY))


def outcome(source: str, answers: dict[str, Any], current: Any, today: str | None) -> Any:
    try:
        return ("value", parse(source).evaluate(answers, current, today))
    except ExpressionError as error:
        return ("error", error.message)


def _parses(source: str) -> bool:
    """Generated sources are well-formed; only the limits may refuse them."""
    try:
        parse(source)
    except ExpressionError as error:
        assert error.message.startswith(("nested more than", "longer than")), source
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(sources(), answer_sets, any_value, todays)
def test_to_text_round_trips(
    source: str, answers: dict[str, Any], current: Any, today: Any
) -> None:
    if not _parses(source):
        return
    canonical = to_text(parse(source))
    assert to_text(parse(canonical)) == canonical
    assert outcome(canonical, answers, current, today) == outcome(source, answers, current, today)


@settings(max_examples=300, deadline=None)
@given(sources(), answer_sets, any_value, todays)
def test_evaluation_raises_only_expression_error(
    source: str, answers: dict[str, Any], current: Any, today: Any
) -> None:
    if _parses(source):
        outcome(source, answers, current, today)  # anything but ExpressionError propagates


TOKENS = ["1", "2.5", ".", "'a'", '"b"', "${a}", "${", "}", "$", "(", ")", ",", "-", "+", "*"]
TOKENS += ["=", "!=", "<", "<=", ">", ">=", "and", "or", "div", "mod", "not", "if", "true"]
TOKENS += ["selected", "count-selected", "today", "x", "'", '"', " ", "\t", "1e5", "（", "!"]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.lists(st.sampled_from(TOKENS), max_size=30).map("".join),
        st.lists(st.sampled_from(TOKENS), max_size=30).map(" ".join),
    )
)
def test_parser_raises_only_expression_error(source: str) -> None:
    try:
        expr = parse(source)
    except ExpressionError as error:
        assert error.message and -1 <= error.position <= len(source)
        return
    outcome(source, {"a": "1"}, None, TODAY)
    assert to_text(parse(to_text(expr))) == to_text(expr)
