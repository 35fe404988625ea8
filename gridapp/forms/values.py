"""Values in questionnaire expressions and what the operators and functions do with
them, as ODK's XPath does: None is unanswered, a multi-select is a list of codes, dates
are ISO strings; a number beyond about ±1e300 is no number. Strings built here are held
to MAX_STRING (forms/limits.py) before they are built."""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, TypeAlias

from gridapp.forms.limits import ExpressionError, check_length, text_size

Value: TypeAlias = bool | int | float | str | list[str] | None

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


def to_number(value: Value) -> int | float | None:
    if isinstance(value, list):
        return to_number(value[0]) if len(value) == 1 else None
    if isinstance(value, str):
        if not _NUMERIC.fullmatch(text := value.strip()):
            return None
        return _finite(float(text) if "." in text or len(text) > 300 else int(text))
    return None if value is None else _finite(int(value) if isinstance(value, bool) else value)


def to_str(value: Value) -> str:
    if value is None or isinstance(value, bool):
        return {None: "", True: "true", False: "false"}[value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, list):
        check_length(text_size(value))
        return " ".join(value)
    return str(value)


def _concat(values: list[Value]) -> str:
    parts = [to_str(value) for value in values]
    check_length(sum(map(len, parts)))  # before joining: never build what is refused
    return "".join(parts)


def _codes(value: Value) -> list[str]:
    """A multi-select's codes; other answers are split on spaces, as ODK does."""
    return value if isinstance(value, list) else to_str(value).split()


def normalise(value: Any) -> Value:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [v if isinstance(v, str) else to_str(normalise(v)) for v in value]
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
    x = to_number(a)
    return x is not None and x == to_number(b)


def _order(op: str, a: Value, b: Value) -> bool:
    x, y = to_number(a), to_number(b)
    if x is not None and y is not None:
        return bool(_ORDER[op](x, y))
    if isinstance(a, str) and isinstance(b, str) and "" not in (a, b):
        return bool(_ORDER[op](a, b))  # e.g. ISO dates
    return False


def binary(op: str, a: Value, b: Value) -> Value:
    if op in ("=", "!="):
        return _equals(a, b) == (op == "=")
    if op in _ORDER:
        return _order(op, a, b)
    x, y = to_number(a), to_number(b)
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
    number = to_number(args[0])
    places = to_number(args[1]) if len(args) > 1 else 0
    if number is None or places is None:
        return None
    if not -15 <= (digits := int(places)) <= 15:
        raise ExpressionError("round() takes between -15 and 15 digits")
    with localcontext() as context:  # half away from zero, on the decimal digits shown
        context.prec = 400
        exact = Decimal(number if isinstance(number, int) else repr(number))
        result = exact.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    return _finite(int(result) if digits <= 0 or isinstance(number, int) else float(result))


def _items(values: list[Value]) -> list[Value]:
    """The arguments with lists (a repeat's answers across its instances) spread out,
    unanswered ones left out."""
    spread: list[Value] = []
    for value in values:
        spread.extend(value if isinstance(value, list) else [value])
    return [v for v in spread if v not in _EMPTY]


def _numbers(values: list[Value]) -> list[int | float] | None:
    numbers = [to_number(v) for v in _items(values)]
    return None if None in numbers else [n for n in numbers if n is not None]


def _sum(values: list[Value]) -> int | float | None:
    numbers = _numbers(values)
    return None if numbers is None else _finite(sum(numbers))


def _extreme(pick: Callable[[list[int | float]], int | float]) -> Callable[[list[Value]], Value]:
    def extreme(values: list[Value]) -> Value:
        numbers = _numbers(values)
        return pick(numbers) if numbers else None

    return extreme


def _count(values: list[Value]) -> int:
    value = values[0]
    return len(value) if isinstance(value, list) else int(value not in _EMPTY)


def _substr(args: list[Value]) -> str:
    text = to_str(args[0])
    start, end = to_number(args[1]), to_number(args[2]) if len(args) > 2 else len(text)
    if start is None or end is None:
        return ""
    low = max(0, min(len(text), int(start)))
    return text[low : max(low, min(len(text), int(end)))]


def _pow(args: list[Value]) -> int | float | None:
    x, y = to_number(args[0]), to_number(args[1])
    if x is None or y is None:
        return None
    try:  # in floating point: never a number of a billion digits
        result = math.pow(float(x), float(y))
    except (OverflowError, ValueError):
        return None
    exact = isinstance(x, int) and isinstance(y, int) and y >= 0 and abs(result) < 2**53
    return _finite(int(result) if exact else result)


def _rounded(how: Callable[[float], int]) -> Callable[[list[Value]], Value]:
    def rounded(args: list[Value]) -> Value:
        number = to_number(args[0])
        if isinstance(number, int):
            return number
        return None if number is None else _finite(how(number))

    return rounded


def _decimal_date_time(args: list[Value]) -> float | None:
    """Days since 1970-01-01 (a date, or a date and time, as written in answers)."""
    text = to_str(args[0]).strip()
    if len(text) > 40:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return (moment - dt.datetime(1970, 1, 1)).total_seconds() / 86400


def _date(args: list[Value]) -> str | None:
    """ODK's date(): 'YYYY-MM-DD' (or a date and time) as a date; a number as days since
    1970-01-01; anything else is no date."""
    value = args[0]
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not -1e6 < value < 1e6:  # within about 2,700 years of 1970
            return None
        return (dt.date(1970, 1, 1) + dt.timedelta(days=int(value))).isoformat()
    text = to_str(value).strip()
    if len(text) > 40:
        return None
    try:
        return dt.datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        return None


def _selected_at(args: list[Value]) -> str:
    codes, index = _codes(args[0]), to_number(args[1])
    return codes[int(index)] if index is not None and 0 <= index < len(codes) else ""


FUNCTIONS: dict[str, Callable[[list[Value]], Value]] = {
    "selected": lambda a: to_str(a[1]) in _codes(a[0]) or _equals(a[0], a[1]),
    "count-selected": lambda a: len(_codes(a[0])),
    "string-length": lambda a: len(to_str(a[0])),
    "not": lambda a: not truthy(a[0]),
    "true": lambda a: True,
    "false": lambda a: False,
    "coalesce": lambda a: a[1] if a[0] in _EMPTY else a[0],
    "number": lambda a: to_number(a[0]),
    "int": lambda a: None if (number := to_number(a[0])) is None else int(number),
    "round": _round,
    "concat": _concat,
    "contains": lambda a: to_str(a[1]) in to_str(a[0]),
    "starts-with": lambda a: to_str(a[0]).startswith(to_str(a[1])),
    "count": _count,
    "sum": _sum,
    "max": _extreme(max),
    "min": _extreme(min),
    "string": lambda a: to_str(a[0]),
    "substr": _substr,
    "boolean": lambda a: truthy(a[0]),
    "floor": _rounded(math.floor),
    "ceiling": _rounded(math.ceil),
    "abs": lambda a: None if (number := to_number(a[0])) is None else abs(number),
    "pow": _pow,
    "selected-at": _selected_at,
    "once": lambda a: a[0],
    "decimal-date-time": _decimal_date_time,
    "date": _date,
    "normalize-space": lambda a: " ".join(to_str(a[0]).split()),
}
