"""The checks of a whole questionnaire once its items are read (forms/loader.py):
references to questions that exist, no circle among what is computed, no text that
grows without bound. Names are unique in the whole form, repeats included, so a name
means one question wherever it is written."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from gridapp.forms.bounds import Growth, growth
from gridapp.forms.definition import Group, Problem, Question, calculation_order
from gridapp.forms.expr import Expression, ExpressionError

_FIELDS = ("relevant", "constraint", "calculation", "choice_filter", "repeat_count")


def _problem(problems: list[Problem], where: str, part: str, key: str, **params: Any) -> None:
    problems.append(Problem(where, part, key, params))


def _expressions(q: Question) -> Iterator[tuple[str, Expression]]:
    for field_name in _FIELDS:
        expr = getattr(q, field_name)
        if expr is not None:
            yield field_name, expr


def check_references(
    questions: Sequence[Question], groups: Sequence[Group], problems: list[Problem]
) -> None:
    """Every ${name} names a question of the form: inside a repeat, its own questions
    and those outside it; outside, a repeat's questions (their answers across the
    instances, for sum(), count() and the like)."""
    known = {q.name for q in questions} | {f"{q.name}_other" for q in questions if q.other}
    known |= {g.name for g in groups}
    for q in questions:
        for field_name, expr in _expressions(q):
            for missing in sorted(expr.references() - known):
                _problem(problems, q.name, field_name, "error.form.unknown_reference", name=missing)
    for g in groups:
        for missing in sorted((g.relevant.references() if g.relevant else frozenset()) - known):
            _problem(problems, g.name, "relevant", "error.form.unknown_reference", name=missing)


def _inputs(q: Question) -> dict[str, str]:
    """What a computed value depends on, each with the key that says so: a calculation
    on its inputs and on what decides whether it is computed (its relevant), a filtered
    choice list on its filter, a repeat's count on its expression."""
    found: dict[str, str] = {}
    parts: list[tuple[str, Expression | None]] = [("choice_filter", q.choice_filter)]
    parts.append(("repeat_count", q.repeat_count))
    if q.calculation is not None:
        parts += [("relevant", q.relevant), ("calculation", q.calculation)]
    for field_name, expr in parts:
        for name in expr.references() if expr is not None else ():
            found[name] = field_name
    return found


def check_cycles(questions: Sequence[Question], problems: list[Problem]) -> None:
    """Calculations, choice filters and repeat counts may depend on each other, never
    in a circle."""
    graph = {q.name: _inputs(q) for q in questions}
    graph = {name: inputs for name, inputs in graph.items() if inputs}
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done
    for root in sorted(graph):  # walked without recursion: a chain may be long
        if root in state:
            continue
        state[root] = 1
        path = [(root, iter(sorted(graph[root])))]
        while path:
            name, pending = path[-1]
            for nxt in pending:
                if nxt not in graph:
                    continue
                if state.get(nxt) == 1:
                    trail = [step for step, _ in path]
                    cycle = " → ".join([*trail[trail.index(nxt) :], nxt])
                    _problem(problems, name, graph[name][nxt], "error.form.cycle", cycle=cycle)
                elif state.get(nxt) is None:
                    state[nxt] = 1
                    path.append((nxt, iter(sorted(graph[nxt]))))
                    break
            else:
                path.pop()
                state[name] = 2


def check_growth(
    questions: Sequence[Question], groups: Sequence[Group], problems: list[Problem]
) -> None:
    """No expression may build text without bound: a concat that doubles across
    calculations is refused here (bounds.growth), calculation by calculation in the
    order they are computed. Run only once there are no cycles."""
    calculated: dict[str, Growth] = {}
    for q in calculation_order(questions):
        assert q.calculation is not None
        try:
            calculated[q.name] = growth(q.calculation, calculated)
        except ExpressionError as error:
            _refused(problems, q.name, "calculation", error)
            calculated[q.name] = Growth(0, 0)  # reported here, not again by its readers
    checked: list[tuple[str, str, Expression | None]] = [
        (g.name, "relevant", g.relevant) for g in groups
    ]
    for q in questions:
        checked += [(q.name, f, e) for f, e in _expressions(q) if f != "calculation"]
    for where, field_name, expr in checked:
        if expr is not None:
            try:
                growth(expr, calculated)
            except ExpressionError as error:
                _refused(problems, where, field_name, error)


def _refused(problems: list[Problem], where: str, part: str, error: ExpressionError) -> None:
    problems.append(Problem(where, part, error.key, {**error.params, "position": error.position}))
