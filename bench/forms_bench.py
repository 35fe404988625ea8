"""What hostile questionnaires cost (issue 12, part 5), run through bench/run.py --only
forms or on its own:

- regex() with a catastrophic pattern, `(a+)+$` against 'a'×50+'!': RE2 (gridapp) vs
  Python's `re` on a shorter text (each extra 'a' doubles its time; 50 would take weeks);
- an XLSForm whose survey sheet declares 1,048,576 rows × 1,024 columns (a formatted
  row element for each): read_xlsform vs the way it was read before (openpyxl's rows to
  the declared range; about 30 s here, so only with --old-reader);
- a concat doubled through 40 calculations: refused at import; and evaluated anyway,
  expression by expression, stopping at 64 KiB (time and peak memory);
- 3,000 calculations written last-first: the engine's first settling.

    .venv/bin/python bench/forms_bench.py [--old-reader]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from openpyxl import load_workbook  # noqa: E402

from gridapp.forms.definition import DefinitionInvalid, load_definition  # noqa: E402
from gridapp.forms.engine import FormState  # noqa: E402
from gridapp.forms.expr import ExpressionError, parse  # noqa: E402
from gridapp.forms.xlsform import read_xlsform  # noqa: E402
from tests.unit.forms.workbooks import declared_range_workbook  # noqa: E402

Row = Callable[..., str]
SURVEY = [["type", "name", "label"], ["text", "a", "甲"], ["integer", "b", "乙"]]


def _ms(action: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _line(name: str, value: str) -> str:
    return f"{name:<60} {value:>14}"


def _old_reader(path: Path) -> int:
    """The survey sheet as read_xlsform read it before: openpyxl's rows, padded and
    counted down to the declared range."""
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = book["survey"].iter_rows(values_only=True)
        columns = [str(h or "") for h in next(rows, ())]
        kept = 0
        for values in rows:
            row = {c: v for c, v in zip(columns, values, strict=False) if c}
            kept += any(row.values())
        return kept
    finally:
        book.close()


def _doubling() -> dict[str, Any]:
    items: list[dict[str, Any]] = [{"name": "seed", "type": "text", "label": "种子"}]
    items.append({"name": "d1", "type": "calculate", "calculation": "concat(${seed}, ${seed})"})
    items += [
        {
            "name": f"d{k}",
            "type": "calculate",
            "calculation": f"concat(${{d{k - 1}}}, ${{d{k - 1}}})",
        }
        for k in range(2, 41)
    ]
    return {"id": "doubling", "version": 1, "title": "翻倍", "items": items}


def _refused(doc: dict[str, Any]) -> None:
    try:
        load_definition(doc)
    except DefinitionInvalid:
        return
    raise AssertionError("the doubling form was accepted")


def _evaluate_doubling() -> int:
    double, value = parse("concat(${prev}, ${prev})"), "x"
    try:
        for _ in range(40):
            value = double.evaluate({"prev": value})
    except ExpressionError:
        pass
    return len(value)


def _chain() -> Any:
    items: list[dict[str, Any]] = [{"name": "count", "type": "integer", "label": "数"}]
    items += [
        {"name": f"c{i}", "type": "calculate", "calculation": f"${{c{i + 1}}} + 1"}
        for i in range(2999)
    ]
    items.append({"name": "c2999", "type": "calculate", "calculation": "${count}"})
    return load_definition({"id": "chain", "version": 1, "title": "链", "items": items})


def run(row: Row, old_reader: bool = False) -> None:
    subject = "a" * 50 + "!"
    catastrophic = parse("regex(${t}, '(a+)+$')")
    print(
        _line(
            "regex (a+)+$ on 'a'×50+'!', RE2",
            f"{_ms(lambda: catastrophic.evaluate({'t': subject})):.3f} ms",
        )
    )
    python = re.compile("(a+)+$")
    for n in (18, 20, 22):
        text = "a" * n + "!"
        print(
            _line(
                f"  the same in Python's re, 'a'×{n}+'!'",
                f"{_ms(partial(python.fullmatch, text), 1):.0f} ms",
            )
        )

    with tempfile.TemporaryDirectory(prefix="gridapp-forms-") as tmp:
        path = declared_range_workbook(Path(tmp) / "declared.xlsx", SURVEY)
        new = _ms(lambda: read_xlsform(path))
        print(_line("XLSForm declaring 1,048,576 × 1,024, read_xlsform", f"{new:.0f} ms"))
        if old_reader:
            old = _ms(lambda: _old_reader(path), 1)
            print(row("  vs read to the declared range (as before)", new, old, "ms", 0.01))

    doc = _doubling()
    print(
        _line(
            "concat doubled through 40 calculations, refused at import",
            f"{_ms(lambda: _refused(doc)):.1f} ms",
        )
    )
    tracemalloc.start()
    length = _evaluate_doubling()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    stopped = _ms(_evaluate_doubling)
    print(_line(f"  evaluated anyway: stops at {length:,} characters", f"{stopped:.2f} ms"))
    print(_line("  peak memory of that evaluation", f"{peak / 1024:.0f} KiB"))

    form = _chain()
    print(
        _line(
            "3,000 calculations written last-first, engine settles",
            f"{_ms(lambda: FormState(form, {'count': 1})):.0f} ms",
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--old-reader", action="store_true", help="also time the old reading (~30 s)"
    )
    args = parser.parse_args()
    from bench.run import _row

    run(_row, args.old_reader)
    return 0


if __name__ == "__main__":
    sys.exit(main())
