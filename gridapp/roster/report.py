"""Problems in words, and the error workbook of rows left out: the original values of
each row plus a column saying what is wrong, to fix and import again."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gridapp.files import atomic_path, file_errors
from gridapp.i18n import Catalog
from gridapp.roster.check import RowProblem
from gridapp.roster.source import RawRow


def describe(problem: RowProblem, catalog: Catalog) -> str:
    """What is wrong, without where: 号码只剩前几位（1.38E+10）…"""
    return catalog.tr(problem.key, **problem.params)


def outcome_lines(result: Any, catalog: Catalog) -> list[str]:
    """What an import did, in words (the CLI prints them, the wizard shows them):
    `result` is a services.roster.RosterResult."""
    lines = [
        catalog.tr(
            "cli.roster.imported",
            households=result.households,
            compounds=len(result.new_compounds),
            buildings=result.new_buildings,
            residents=result.residents,
            phones=result.phones,
        )
    ]
    if result.error_workbook is not None:
        lines.append(
            catalog.tr("cli.roster.skipped", skipped=result.skipped, path=result.error_workbook)
        )
    return lines


def locate(problem: RowProblem, catalog: Catalog) -> str:
    """Where and what: 第 5 行「联系电话」：…"""
    key = "ui.roster.problem_at" if problem.column else "ui.roster.problem_at_row"
    return catalog.tr(key, row=problem.line, column=problem.column, what=describe(problem, catalog))


def default_error_path(source: Path, catalog: Catalog) -> Path:
    return source.with_name(catalog.tr("ui.roster.error_file", stem=source.stem))


def write_error_workbook(
    out: Path,
    headers: Sequence[str],
    rows: Sequence[tuple[RawRow, Sequence[RowProblem]]],
    catalog: Catalog,
) -> None:
    """Written atomically (gridapp.files): never half a workbook."""
    out = Path(out)
    with file_errors(out):
        out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as part:
        _save(part, headers, rows, catalog)


def _save(
    path: Path,
    headers: Sequence[str],
    rows: Sequence[tuple[RawRow, Sequence[RowProblem]]],
    catalog: Catalog,
) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    tr = catalog.tr
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(tr("ui.roster.error_sheet"))

    def text(value: str) -> WriteOnlyCell:
        # As text, always: a phone stays 13812345678 and "=…" is never a formula.
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"
        return cell

    ws.append(
        [
            text(tr("ui.roster.error_line")),
            *(text(h) for h in headers),
            text(tr("ui.roster.error_problems")),
        ]
    )
    for raw, problems in rows:
        what = "；".join(
            tr("ui.roster.problem_in_column", column=p.column, what=describe(p, catalog))
            if p.column
            else describe(p, catalog)
            for p in problems
        )
        ws.append([raw.line, *(text(v) for v in raw.values), text(what)])
    wb.save(path)
