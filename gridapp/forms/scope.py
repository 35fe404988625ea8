"""Where an answer lives in a form with repeats, and what `${name}` means from there.

A Path names one answer: ("age",) at the top, ("members", 1, "age") in the second
instance of the repeat `members` (indexes from 0; in text, "members[2]/age", from 1).
An instance path (`at`) names the instance an expression is evaluated in: () for the
form itself, ("members", 1) for one member.

Names are unique in the whole form, so `${name}` is one question wherever it is
written: inside a repeat, a sibling's answer in the same instance; a name outside the
repeat, the outer answer; from outside, a repeat's question gives its answers across
the instances (a list, for count(), sum(), max(), min()) and a repeat itself gives one
item per instance.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, TypeAlias

from gridapp.forms.definition import FormDefinition, Question, text_of
from gridapp.forms.expr import Context

Path: TypeAlias = tuple[str | int, ...]
_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[([0-9]+)\])?")


def as_path(path: str | Path) -> Path:
    """A Path from a Path, a name ("age") or a path's text ("members[2]/age")."""
    if not isinstance(path, str):
        return tuple(path)
    steps: list[str | int] = []
    for part in path.split("/"):
        match = _STEP.fullmatch(part)
        if match is None:
            raise ValueError(f"not a path: {path!r}")
        steps.append(match.group(1))
        if match.group(2) is not None:
            steps.append(int(match.group(2)) - 1)
    return tuple(steps)


def path_text(path: Path) -> str:
    """("members", 1, "age") → "members[2]/age" (instances counted from 1)."""
    text = ""
    for step in path:
        text += f"[{step + 1}]" if isinstance(step, int) else f"/{step}" if text else step
    return text


def instances(box: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    """The instances of repeat `name` held in `box` ([] unless a list of objects)."""
    value = box.get(name)
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return value
    return []


def copy_answers(value: Any) -> Any:
    """Answers copied deep enough that repeats can be changed without touching the
    caller's: lists of objects (instances) and the objects in them."""
    if isinstance(value, Mapping):
        return {str(k): copy_answers(v) for k, v in value.items()}
    if isinstance(value, list | tuple) and value and all(isinstance(v, Mapping) for v in value):
        return [copy_answers(v) for v in value]
    return list(value) if isinstance(value, tuple) else value


def gather(box: Mapping[str, Any], repeats: tuple[str, ...], name: str) -> list[Any]:
    """The answers to `name` in every instance reached through `repeats` from `box`, in
    order; a repeat's instances, spread out."""
    boxes: list[Mapping[str, Any]] = [box]
    for repeat in repeats:
        boxes = [item for b in boxes for item in instances(b, repeat)]
    return [b.get(name) for b in boxes]


class Layout:
    """Each question of a form by name, with the repeats around it."""

    def __init__(self, definition: FormDefinition) -> None:
        self.definition = definition
        self.where: dict[str, tuple[tuple[str, ...], Question]] = {}
        for prefix, q in definition.walk():
            self.where[q.name] = (prefix, q)
            if q.other:
                self.where[f"{q.name}_other"] = (prefix, q)
        self.groups = {g.name: g for g in definition.all_groups()}

    def prefix(self, name: str) -> tuple[str, ...]:
        found = self.where.get(name)
        return found[0] if found else ()

    def question(self, name: str) -> Question:
        return self.where[name][1]

    def level(self, at: Path) -> FormDefinition:
        """The questions of the instance `at` (the form itself for ())."""
        if not at:
            return self.definition
        body = self.question(str(at[-2])).body
        assert body is not None
        return body


class Scope(Mapping[str, Any], Context):
    """The answers as an expression evaluated in instance `at` sees them."""

    def __init__(
        self, layout: Layout, answers: Mapping[str, Any], at: Path, now: str, lang: str
    ) -> None:
        self.layout, self.answers, self.at = layout, answers, at
        self.position = int(at[-1]) + 1 if at else None
        self.now: str | None = now
        self.lang = lang

    def get(self, name: str, default: Any = None) -> Any:
        repeats = self.layout.prefix(name)
        box: Mapping[str, Any] = self.answers
        at = self.at
        for depth, repeat in enumerate(repeats):
            if 2 * depth + 1 < len(at) and at[2 * depth] == repeat:
                found = instances(box, repeat)
                index = int(at[2 * depth + 1])
                if not 0 <= index < len(found):
                    return default
                box = found[index]
                continue
            values = gather(box, repeats[depth:], name)
            return self._positions(values) if self._is_repeat(name) else values
        value = box.get(name, default)
        return self._positions([value]) if self._is_repeat(name) else value

    def _is_repeat(self, name: str) -> bool:
        found = self.layout.where.get(name)
        return found is not None and found[1].type == "repeat"

    @staticmethod
    def _positions(values: list[Any]) -> list[str]:
        """A repeat's instances stand as their positions ("1", "2", …), for count()."""
        count = sum(len(v) for v in values if isinstance(v, list))
        return [str(n) for n in range(1, count + 1)]

    def __getitem__(self, name: str) -> Any:
        return self.get(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.layout.where)

    def __len__(self) -> int:
        return len(self.layout.where)

    def across(self, name: str, repeat: str) -> list[Any] | None:
        at = self.at
        for depth in range(0, len(at), 2):
            if at[depth] == repeat:
                at = at[:depth]
                break
        if repeat not in self.layout.prefix(name):
            return None
        found = Scope(self.layout, self.answers, at, self.now or "", self.lang).get(name)
        return found if isinstance(found, list) else None

    def choice_name(self, value: str, question: str) -> str | None:
        name = question.strip().removeprefix("${").removesuffix("}")
        found = self.layout.where.get(name)
        if found is None:
            return None
        choice = next((c for c in found[1].choices if c.value == value), None)
        fallback = self.layout.definition.default_language
        return None if choice is None else text_of(choice.label, self.lang, fallback)
