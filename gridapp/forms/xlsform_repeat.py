"""Groups and repeats on the survey sheet: `begin group`/`end group`, `begin repeat`/
`end repeat` (also `begin_repeat`), matched as pyxform matches them (an `end` closes
only its own kind), nested at most MAX_DEPTH deep and repeats at most MAX_REPEAT_DEPTH
deep, with `repeat_count` a whole number or an expression."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from gridapp.forms.expr import parse
from gridapp.forms.limits import MAX_INSTANCES, MAX_NESTING, MAX_REPEAT_DEPTH, ExpressionError
from gridapp.forms.xlsform_sheet import Sheet

#: Groups and repeats inside each other, and repeats inside repeats: the loader's limits.
MAX_DEPTH = MAX_NESTING
#: A repeat_count written as a number is at most this.
MAX_REPEAT_COUNT = MAX_INSTANCES

_NUMBER = re.compile(r"^[0-9]+(\.0*)?$")


@dataclass
class _Frame:
    kind: str  # "" for the survey itself, "group" or "repeat"
    row: int
    header: str
    items: list[dict[str, Any]] = field(default_factory=list)
    refused: bool = False  # too deep: read, kept out of the form


class Nesting:
    """The item tree being built, one row at a time."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.stack = [_Frame("", 0, "")]

    @property
    def root(self) -> list[dict[str, Any]]:
        return self.stack[0].items

    @property
    def repeats(self) -> int:
        return sum(1 for f in self.stack if f.kind == "repeat")

    def add(self, item: dict[str, Any]) -> None:
        self.stack[-1].items.append(item)

    def begin(self, kind: str, item: dict[str, Any] | None, row: int) -> None:
        """Open a group or repeat (`item` None: refused already); too deep is refused
        here. A refused one's rows are still read, kept out of the form, so its `end`
        still matches."""
        header = self.sheet.header("type")
        frame = _Frame(kind, row, header)
        if any(f.refused for f in self.stack):
            frame.refused = True  # inside one refused already: said once, at the outermost
        elif len(self.stack) > MAX_DEPTH:
            frame.refused = True
            self.sheet.problem(row, header, "error.xlsform.too_deep", limit=MAX_DEPTH)
        elif kind == "repeat" and self.repeats >= MAX_REPEAT_DEPTH:
            frame.refused = True
            self.sheet.problem(
                row, header, "error.xlsform.repeats_too_deep", limit=MAX_REPEAT_DEPTH
            )
        elif item is not None:
            item["items"] = frame.items
            self.add(item)
        self.stack.append(frame)

    def end(self, kind: str, row: int, written: str) -> None:
        header = self.sheet.header("type")
        top = self.stack[-1]
        if len(self.stack) == 1:
            self.sheet.problem(row, header, "error.xlsform.end_without_begin", type=written)
        elif top.kind != kind:
            self.sheet.problem(
                row,
                header,
                "error.xlsform.end_mismatch",
                type=written,
                open=top.kind,
                begun=top.row,
            )
        else:
            self.stack.pop()

    def finish(self) -> list[dict[str, Any]]:
        for frame in reversed(self.stack[1:]):
            self.sheet.problem(
                frame.row, frame.header, "error.xlsform.unclosed", type=f"begin {frame.kind}"
            )
        return self.root


def repeat_count(text: str) -> tuple[int | str | None, str]:
    """A repeat_count cell as a whole number or an expression's text, or (None, why)."""
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None and (number < 0 or not number.is_integer()):
        return None, "not a whole number of entries"
    if _NUMBER.match(text):
        count = int(float(text))
        if count > MAX_REPEAT_COUNT:
            return None, f"more than {MAX_REPEAT_COUNT}"
        return count, ""
    try:
        parse(text)
    except ExpressionError as exc:
        return None, exc.message
    return text, ""
