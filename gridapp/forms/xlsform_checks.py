"""Checks pyxform makes on a whole workbook that the definition loader cannot place in
it: a circle through `choice_filter` (and calculations), choice names with spaces in a
list a multiple choice uses."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from itertools import pairwise
from typing import Any

from gridapp.forms.definition import Problem

_REF = re.compile(r"\$\{\s*([^}\s]+)\s*\}")


def walk(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every item at every depth, in order."""
    for item in items:
        yield item
        if isinstance(item.get("items"), list):
            yield from walk(item["items"])


def references(text: Any) -> list[str]:
    return _REF.findall(text) if isinstance(text, str) else []


def filter_cycles(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(question, cycle text) for each circle of references that goes through at least
    one choice_filter (circles of calculations alone are the loader's to report)."""
    edges: dict[str, dict[str, bool]] = {}  # name → {name it needs: through a filter}
    for item in walk(items):
        needs = edges.setdefault(item["name"], {})
        for ref in references(item.get("calculation")):
            needs.setdefault(ref, False)
        for ref in references(item.get("choice_filter")):
            needs[ref] = True
    found: list[tuple[str, str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    for root in edges:
        if root in state:
            continue
        state[root] = 1
        path = [(root, iter(edges[root]))]
        while path:
            name, pending = path[-1]
            for nxt in pending:
                if nxt not in edges:
                    continue
                if state.get(nxt) == 1:
                    trail = [step for step, _ in path]
                    cycle = [*trail[trail.index(nxt) :], nxt]
                    if any(edges[a][b] for a, b in pairwise(cycle)):
                        found.append((name, " → ".join(cycle)))
                elif state.get(nxt) is None:
                    state[nxt] = 1
                    path.append((nxt, iter(edges[nxt])))
                    break
            else:
                path.pop()
                state[name] = 2
    return found


def spaced_choices(
    items: list[dict[str, Any]],
    lists: Mapping[str, list[dict[str, Any]]],
    where: Mapping[tuple[str, int], str],
) -> list[Problem]:
    """A multiple choice's codes are stored joined by spaces: a code may hold none."""
    problems: list[Problem] = []
    used = {
        item["choices"]
        for item in walk(items)
        if item.get("type") == "select_multiple" and isinstance(item.get("choices"), str)
    }
    for list_name in sorted(used & set(lists)):
        for n, choice in enumerate(lists[list_name]):
            if " " in str(choice.get("value", "")):
                problems.append(
                    Problem(
                        where.get((list_name, n), list_name),
                        "name",
                        "error.xlsform.choice_space",
                        {"value": choice["value"], "list": list_name},
                    )
                )
    return problems
