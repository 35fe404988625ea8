"""Household rosters from the 居委's or 物业's spreadsheet (CSV or XLSX): preview what a
file holds and what is wrong with it, then import it whole in one unit of work.

By default nothing is written unless every row is clean. With `skip_invalid` the good
rows are imported and the others go, with what is wrong, to an error workbook.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gridapp.errors import InvalidInput
from gridapp.i18n import Catalog
from gridapp.roster.check import CheckedRow, RosterRecord, RowProblem, check_rows
from gridapp.roster.fields import ColumnMap, Field, resolve
from gridapp.roster.report import default_error_path, write_error_workbook
from gridapp.roster.source import RawRow, RosterFile, open_roster, sheet_names
from gridapp.roster.writer import Places, RosterWriter
from gridapp.services.guard import actor_of, requires
from gridapp.storage import roster_queries
from gridapp.storage.store import Store
from gridapp.trust.roles import Action

log = logging.getLogger("gridapp.roster")

#: Rows a preview keeps to show.
SAMPLE_ROWS = 20
Progress = Callable[[int, float | None], None]  # rows read so far, share of the file


class RosterInvalid(InvalidInput):
    """The file has problems and nothing was written; `problems` lists every one."""

    def __init__(self, file: str, problems: list[RowProblem]) -> None:
        first = problems[0]
        super().__init__(
            "error.roster.invalid",
            file=file,
            row=first.line,
            column=first.column,
            count=len(problems),
        )
        self.problems = problems


@dataclass(frozen=True)
class RosterPreview:
    file: Path
    kind: str  # csv | xlsx
    encoding: str
    sheet: str | None
    sheets: tuple[str, ...]
    header_line: int
    columns: ColumnMap
    sample: list[RosterRecord]
    problems: list[RowProblem]
    rows: int
    valid: int
    new_compounds: list[str] = field(default_factory=list)
    new_buildings: int = 0

    @property
    def invalid(self) -> int:
        return len({p.line for p in self.problems})

    @property
    def duplicates(self) -> int:
        return sum(p.duplicate for p in self.problems)

    @property
    def clean(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class RosterResult:
    file: Path
    rows: int
    households: int
    residents: int
    phones: int
    new_compounds: list[str]
    new_buildings: int
    skipped: int
    problems: list[RowProblem]
    error_workbook: Path | None


def _overrides(mapping: Mapping[str, str | Field | None] | None) -> dict[str, Field | None]:
    if not mapping:
        return {}
    return {k: (Field(v) if v else None) for k, v in mapping.items()}


class RosterService:
    def __init__(self, store: Store) -> None:
        self.store = store

    @requires(Action.ROSTER_IMPORT)
    def sheets(self, path: Path) -> list[str]:
        return sheet_names(path)

    @requires(Action.ROSTER_IMPORT)
    def open(
        self,
        path: Path,
        sheet: str | None = None,
        mapping: Mapping[str, str | Field | None] | None = None,
        require: bool = True,
    ) -> tuple[RosterFile, ColumnMap]:
        """The file with its header found, and the column mapping (ours, corrected by
        `mapping`: header → field code, None to leave a column out)."""
        roster = open_roster(Path(path), sheet)
        where = roster.path.name + (f"“{roster.sheet}”" if roster.sheet else "")
        return roster, resolve(roster.headers, _overrides(mapping), where, require)

    @requires(Action.ROSTER_IMPORT)
    def preview(
        self,
        path: Path,
        sheet: str | None = None,
        mapping: Mapping[str, str | Field | None] | None = None,
        progress: Progress | None = None,
    ) -> RosterPreview:
        """Everything an import would do and find, writing nothing."""
        roster, cmap = self.open(path, sheet, mapping)
        sample: list[RosterRecord] = []
        problems: list[RowProblem] = []
        rows = valid = 0
        new_compounds: dict[str, None] = {}
        new_buildings: set[tuple[str, str]] = set()
        with roster_queries.snapshot(self.store.db) as db:
            places = Places(db)
            book = roster_queries.AddressBook(db, places.building_id)
            for batch in check_rows(roster.rows(), cmap, book):
                for checked in batch:
                    rows += 1
                    problems.extend(checked.problems)
                    record = checked.record
                    if record is None:
                        continue
                    valid += 1
                    if len(sample) < SAMPLE_ROWS:
                        sample.append(record)
                    if record.compound not in places.compounds:
                        new_compounds[record.compound] = None
                    if places.building_id(record.compound, record.building) is None:
                        new_buildings.add((record.compound, record.building))
                if progress:
                    progress(rows, roster.fraction)
        if not rows:
            raise InvalidInput("error.roster.no_rows", file=roster.path.name)
        return RosterPreview(
            roster.path,
            roster.kind,
            roster.encoding,
            roster.sheet,
            roster.sheets,
            roster.header_line,
            cmap,
            sample,
            problems,
            rows,
            valid,
            list(new_compounds),
            len(new_buildings),
        )

    @requires(Action.ROSTER_IMPORT)
    def import_file(
        self,
        path: Path,
        sheet: str | None = None,
        mapping: Mapping[str, str | Field | None] | None = None,
        skip_invalid: bool = False,
        error_workbook: Path | None = None,
        progress: Progress | None = None,
        lang: str = "zh_CN",
    ) -> RosterResult:
        """Import every row in one unit of work, all or nothing.

        A problem anywhere raises RosterInvalid (all problems listed) and writes
        nothing, unless `skip_invalid`: then the good rows are imported and the rest
        written to `error_workbook` (default: beside the file), in the same
        transaction, so a workbook that cannot be written imports nothing either.
        """
        actor = actor_of(self.store).code
        roster, cmap = self.open(path, sheet, mapping)
        catalog = Catalog(lang)
        problems: list[RowProblem] = []
        bad: list[tuple[RawRow, tuple[RowProblem, ...]]] = []
        rows = 0
        with self.store.unit_of_work(actor) as db:
            places = Places(db)
            book = roster_queries.AddressBook(db, places.building_id)
            writer = RosterWriter(self.store, db, places)
            for batch in check_rows(roster.rows(), cmap, book):
                rows += len(batch)
                good = self._sort(batch, problems, bad, skip_invalid)
                if skip_invalid or not problems:
                    # Once a problem stops the import, later rows are only checked.
                    writer.write(good)
                if progress:
                    progress(rows, roster.fraction)
            if not rows:
                raise InvalidInput("error.roster.no_rows", file=roster.path.name)
            if problems and not skip_invalid:
                raise RosterInvalid(roster.path.name, problems)
            writer.finish()
            book.forget()
            out = None
            if bad:
                out = Path(error_workbook or default_error_path(roster.path.resolve(), catalog))
                write_error_workbook(out, roster.headers, bad, catalog)
        log.info(
            "roster %s: %d rows, %d households, %d skipped",
            roster.path.name,
            rows,
            writer.households,
            len(bad),
        )
        return RosterResult(
            roster.path,
            rows,
            writer.households,
            writer.residents,
            writer.phones,
            writer.new_compounds,
            writer.new_buildings,
            len(bad),
            problems,
            out,
        )

    @staticmethod
    def _sort(
        batch: list[CheckedRow],
        problems: list[RowProblem],
        bad: list[tuple[RawRow, tuple[RowProblem, ...]]],
        keep_bad: bool,
    ) -> list[RosterRecord]:
        good: list[RosterRecord] = []
        for checked in batch:
            if checked.record is not None:
                good.append(checked.record)
                continue
            problems.extend(checked.problems)
            if keep_bad:
                bad.append((checked.raw, checked.problems))
        return good
