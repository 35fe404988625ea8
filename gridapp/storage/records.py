"""Writes: records in and out as dicts. Callers hold a unit of work (the triggers insist).

Inserts use one cached statement per (table, columns) and `executemany`: sqlite-utils'
`insert_all` re-reads the table's schema on every call, which made the 100,000-household
demo spend most of its time introspecting (bench: ~4× fewer statements).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from itertools import islice
from typing import Any

from sqlite_utils import Database

from gridapp.storage.schema import SYNCED_TABLES

_TABLES = frozenset(SYNCED_TABLES)
_SEEN: set[tuple[str, tuple[str, ...]]] = set()  # column sets already checked (the hot path)


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _row(record: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        # Shallow on purpose: records hold plain values; asdict's deep copy is slow.
        return {name: getattr(record, name) for name in _field_names(type(record))}
    if type(record) is dict:
        return record  # read only: rows become tuples of their values
    if isinstance(record, Mapping):
        return dict(record)
    raise TypeError(f"not a record: {record!r}")


def _table(table: str) -> str:
    if table not in _TABLES:
        raise ValueError(f"not a synced table: {table}")
    return table


_COLUMNS: dict[str, frozenset[str]] = {}


def _checked_columns(db: Database, table: str, columns: Iterable[str]) -> None:
    """Column names only ever name columns of our own schema: a name that came from a
    file (a bundle, a workbook) and is not one of them never reaches the SQL text."""
    known = _COLUMNS.get(table)
    if known is None:
        known = frozenset(row[1] for row in db.execute(f"PRAGMA table_info({_table(table)})"))
        if known:
            _COLUMNS[table] = known
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise ValueError(f"not a column of {table}: {unknown[0][:40]!r}")


@cache
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    return f"INSERT INTO {table} ({names}) VALUES ({marks})"


def insert(db: Database, table: str, record: Any) -> None:
    insert_many(db, table, (record,))


def insert_many(db: Database, table: str, records: Iterable[Any], batch_size: int = 1000) -> None:
    _table(table)
    rows = iter(records)
    while batch := [_row(r) for r in islice(rows, batch_size)]:
        # Group by column set: mappings may differ in keys, dataclasses never do.
        groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        for row in batch:
            groups.setdefault(tuple(row), []).append(tuple(row.values()))
        for columns, values in groups.items():
            if (table, columns) not in _SEEN:
                _checked_columns(db, table, columns)
                _SEEN.add((table, columns))
            db.conn.executemany(_insert_sql(table, columns), values)


def update(db: Database, table: str, record_id: str, changes: Mapping[str, Any]) -> None:
    if "id" in changes:
        raise ValueError("ids are immutable")
    if changes:
        _checked_columns(db, table, changes)
        db.table(_table(table)).update(record_id, dict(changes))


def delete(db: Database, table: str, record_id: str) -> None:
    db.execute(f"DELETE FROM {_table(table)} WHERE id = ?", [record_id])


def exists(db: Database, table: str, record_id: str) -> bool:
    return (
        db.execute(f"SELECT 1 FROM {_table(table)} WHERE id = ?", [record_id]).fetchone()
        is not None
    )


def get(db: Database, table: str, record_id: str) -> dict[str, Any] | None:
    rows = list(db.query(f"SELECT * FROM {_table(table)} WHERE id = ?", [record_id]))
    return rows[0] if rows else None


def chunks(ids: list[str], size: int = 500) -> Iterator[tuple[list[str], str]]:
    """`ids` in runs SQLite's parameter limit takes, each with its `?, ?…` marks."""
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        yield chunk, ",".join("?" * len(chunk))


def existing_ids(db: Database, table: str, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk, marks in chunks(ids):
        found.update(
            row[0]
            for row in db.execute(
                f"SELECT id FROM {_table(table)} WHERE id IN ({marks})", chunk
            ).fetchall()
        )
    return found
