"""How long an XLSForm takes to import (issue 16, part 4; goal: under 2 s each), on its
own (not an asserting test):

- a 2,000-row survey: questions of every kind in groups, a repeat with a repeat_count,
  cascading choices (a choice_filter over a choices column), three languages
  (`label::English (en)`, `label::Français (fr)`, `label::中文 (zh)`), and a settings
  sheet; then written back (export) and read again;
- each bad input of the issue, refused by sheet, row and column: duplicate names, a
  missing choice list, a cycle through choice_filter, a cycle through calculations, a
  repeat_count that is not a number or expression, a repeat nested 20 deep, a label of
  100,000 characters, a sheet declared 1,048,576 × 1,024.

    .venv/bin/python bench/bench_xlsform_import.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gridapp.forms.definition import DefinitionInvalid, load_definition  # noqa: E402
from gridapp.forms.xlsform import read_xlsform  # noqa: E402
from gridapp.forms.xlsform_export import write_xlsform  # noqa: E402
from tests.unit.forms.workbooks import (  # noqa: E402
    declared_range_workbook,
    replace_text,
    xlsform,
)

LANGS = ("label::English (en)", "label::Français (fr)", "label::中文 (zh)")
HEADER = [
    "type",
    "name",
    *LANGS,
    "required",
    "relevant",
    "constraint",
    "choice_filter",
    "repeat_count",
    "calculation",
    "appearance",
    "default",
]


def _labels(text: str) -> list[str]:
    return [f"{text} (en)", f"{text} (fr)", f"{text}（中）"]


def big_form(path: Path, rows: int = 2000) -> Path:
    """A survey of `rows` rows (header included), cascading choices, three languages."""
    survey: list[list[Any]] = [HEADER]
    survey.append(["start", "start", None, None, None])
    survey.append(["integer", "hh_size", *_labels("Household size"), "yes", None, ". > 0"])
    survey.append(["select_one region", "region", *_labels("Region"), "yes"])
    survey.append(
        ["select_one city", "city", *_labels("City"), None, None, None, "region = ${region}"]
    )
    survey.append(["begin repeat", "members", *_labels("Members"), *[None] * 4, "${hh_size}"])
    survey += [
        ["text", "m_name", *_labels("Name"), "yes"],
        ["integer", "m_age", *_labels("Age"), None, None, ". < 120"],
        ["select_one rel", "m_rel", *_labels("Relation")],
        ["end repeat"],
    ]
    kinds = [
        "text",
        "integer",
        "decimal",
        "date",
        "select_one yn",
        "select_multiple rel",
        "time",
        "note",
    ]
    n, group = 0, 0
    while len(survey) < rows - 2:
        if n % 40 == 0:
            if group:
                survey.append(["end group"])
            group += 1
            survey.append(
                ["begin group", f"g{group}", *_labels(f"Part {group}"), *[None] * 6, "field-list"]
            )
        kind = kinds[n % len(kinds)]
        relevant = f"${{q{n - 1}}} != ''" if n % 5 == 1 else None
        survey.append([kind, f"q{n}", *_labels(f"Question {n}"), None, relevant])
        n += 1
    survey.append(["end group"])
    survey.append(["calculate", "adults", None, None, None, *[None] * 5, "count(${members})"])
    choices: list[list[Any]] = [["list_name", "name", *LANGS, "region"]]
    choices += [["region", f"r{i}", *_labels(f"Region {i}")] for i in range(20)]
    choices += [["city", f"c{i}", *_labels(f"City {i}"), f"r{i % 20}"] for i in range(400)]
    choices += [["yn", "yes", *_labels("Yes")], ["yn", "no", *_labels("No")]]
    choices += [["rel", code, *_labels(code)] for code in ("head", "spouse", "child", "other")]
    settings = [
        ["form_title::English (en)", "form_id", "version", "default_language"],
        ["Bench", "bench", "2024010101", "English (en)"],
    ]
    return xlsform(path, survey, choices, settings, names=("Survey", "choices", "Settings"))


def _bad(folder: Path) -> dict[str, Path]:
    head = ["type", "name", "label", "repeat_count", "calculation", "choice_filter"]
    rel = [["list_name", "name", "label"], ["rel", "a", "甲"], ["rel", "b", "乙"]]
    deep = [
        head,
        ["text", "top", "甲"],
        *[["begin repeat", f"r{i}", "层"] for i in range(20)],
        ["text", "x", "乙"],
        *[["end repeat"]] * 20,
    ]
    long = xlsform(folder / "long.xlsx", [head, ["text", "a", "LONG_LABEL"]])
    return {
        "duplicate question names": xlsform(
            folder / "dup.xlsx", [head, ["text", "a", "甲"], ["integer", "a", "乙"]]
        ),
        "a choice list used but missing": xlsform(
            folder / "nolist.xlsx", [head, ["select_one nope", "a", "甲"]], rel
        ),
        "a cycle through choice_filter": xlsform(
            folder / "filter.xlsx",
            [
                head,
                ["select_one rel", "a", "甲", None, None, "name != ${b}"],
                ["select_one rel", "b", "乙", None, None, "name != ${a}"],
            ],
            rel,
        ),
        "a cycle through calculation": xlsform(
            folder / "calc.xlsx",
            [
                head,
                ["text", "t", "甲"],
                ["calculate", "x", None, None, "${y}"],
                ["calculate", "y", None, None, "${x}"],
            ],
        ),
        "repeat_count not a number or expression": xlsform(
            folder / "count.xlsx",
            [head, ["begin repeat", "r", "组", "lots"], ["text", "a", "甲"], ["end repeat"]],
        ),
        "a repeat nested 20 deep": xlsform(folder / "deep.xlsx", deep),
        "a label of 100,000 characters": replace_text(long, "LONG_LABEL", "长" * 100_000),
        "a sheet declared 1,048,576 × 1,024": declared_range_workbook(
            folder / "huge.xlsx", [head[:3], ["text", "a", "甲"]], stray="x"
        ),
    }


def _ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _line(name: str, value: str) -> str:
    return f"{name:<44}{value}"


def _refused(path: Path) -> str:
    try:
        read_xlsform(path)
    except DefinitionInvalid as invalid:
        return invalid.problems[0].where
    return "NOT REFUSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = big_form(folder / "big.xlsx")
        doc = read_xlsform(path)
        form = load_definition(doc)
        count = sum(1 for _ in form.walk())
        print(f"2,000-row XLSForm ({count} questions, 3 languages, a repeat, 426 choices)")
        imported = _ms(lambda: read_xlsform(path), args.repeat)
        print(_line("  import", f"{imported:8.0f} ms  (goal < 2000)"))
        out = folder / "again.xlsx"
        exported = _ms(lambda: write_xlsform(form, out), args.repeat)
        print(_line("  export", f"{exported:8.0f} ms"))
        print(_line("  round trip equal", f"{read_xlsform(out) == doc!s:>8}"))
        print("bad input, refused (first problem's place)")
        for name, bad in _bad(folder).items():
            where = _refused(bad)
            ms = _ms(partial(_refused, bad), max(1, args.repeat // 2))
            print(_line(f"  {name}", f"{ms:8.0f} ms  {where}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
