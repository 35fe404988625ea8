"""The change log: every write to a synced table, whatever its path, is logged by a
trigger in the same transaction.

Triggers (not Python wrappers) make the guarantee hold for every code path: a write
made outside a unit of work is refused by the database itself. Each entry is
`(device_id, seq, hlc, actor, entity, record_id, op, fields, base)`: `fields` are the
values written, `base` the values they replaced. `seq` is per device and gapless
because SQLite has one writer at a time and the entry is taken in the same
transaction as the data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlite_utils import Database

OUTSIDE_UNIT_OF_WORK = "gridapp: write outside a unit of work"


@dataclass(frozen=True)
class ChangeEntry:
    device_id: str
    seq: int
    hlc: str
    actor: str
    entity: str
    record_id: str
    op: str
    fields: dict[str, Any] | None
    base: dict[str, Any] | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ChangeEntry:
        return cls(
            device_id=row["device_id"],
            seq=row["seq"],
            hlc=row["hlc"],
            actor=row["actor"],
            entity=row["entity"],
            record_id=row["record_id"],
            op=row["op"],
            fields=json.loads(row["fields"]) if row["fields"] is not None else None,
            base=json.loads(row["base"]) if row["base"] is not None else None,
        )


def create_log_tables(db: Database) -> None:
    db.execute(
        """CREATE TABLE change_log (
            device_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            hlc TEXT NOT NULL,
            actor TEXT NOT NULL,
            entity TEXT NOT NULL,
            record_id TEXT NOT NULL,
            op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
            fields TEXT,
            base TEXT,
            PRIMARY KEY (device_id, seq)
        )"""
    )
    db.execute("CREATE INDEX change_log_record ON change_log(entity, record_id)")
    for op in ("UPDATE", "DELETE"):
        db.execute(
            f"""CREATE TRIGGER change_log_append_only_{op.lower()} BEFORE {op} ON change_log
            BEGIN SELECT RAISE(ABORT, 'gridapp: change_log is append-only'); END"""
        )
    # One row: who is writing now. Set by the unit of work, cleared at its end; while
    # `replaying` is 1 the triggers stand aside so copied entries keep their origin.
    db.execute(
        """CREATE TABLE _write_context (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            device_id TEXT,
            actor TEXT,
            hlc TEXT,
            replaying INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute("INSERT INTO _write_context (id) VALUES (1)")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _object(prefix: str, columns: Iterable[str]) -> str:
    return "json_object(" + ", ".join(f"'{c}', {prefix}.{_q(c)}" for c in columns) + ")"


def _changed(prefix: str, columns: list[str]) -> str:
    parts = " UNION ALL ".join(
        f"SELECT '{c}' AS k, json_quote({prefix}.{_q(c)}) AS v WHERE NEW.{_q(c)} IS NOT OLD.{_q(c)}"
        for c in columns
    )
    return f"(SELECT json_group_object(k, json(v)) FROM ({parts}))"


_GUARD = (
    f"SELECT RAISE(ABORT, '{OUTSIDE_UNIT_OF_WORK}') WHERE (SELECT hlc FROM _write_context) IS NULL;"
)
_NEXT_SEQ = "COALESCE((SELECT MAX(seq) FROM change_log WHERE device_id = c.device_id), 0) + 1"
_COLUMNS = "device_id, seq, hlc, actor, entity, record_id, op, fields, base"
_WHEN = "WHEN (SELECT replaying FROM _write_context) = 0"


def trigger_sql(table: str, columns: list[str]) -> dict[str, str]:
    """The three logging triggers of one table, by name."""
    insert = f"""CREATE TRIGGER _log_{table}_insert AFTER INSERT ON {_q(table)} {_WHEN}
BEGIN
  {_GUARD}
  INSERT INTO change_log ({_COLUMNS})
  SELECT c.device_id, {_NEXT_SEQ}, c.hlc, c.actor, '{table}', NEW.id, 'insert',
         {_object("NEW", columns)}, NULL
  FROM _write_context c;
END"""
    mutable = [c for c in columns if c != "id"]
    update = f"""CREATE TRIGGER _log_{table}_update AFTER UPDATE ON {_q(table)} {_WHEN}
BEGIN
  {_GUARD}
  SELECT RAISE(ABORT, 'gridapp: record ids are immutable') WHERE NEW.id IS NOT OLD.id;
  INSERT INTO change_log ({_COLUMNS})
  SELECT c.device_id, {_NEXT_SEQ}, c.hlc, c.actor, '{table}', NEW.id, 'update', d.f, d.b
  FROM _write_context c,
       (SELECT {_changed("NEW", mutable)} AS f, {_changed("OLD", mutable)} AS b) d
  WHERE d.f <> '{{}}';
END"""
    delete = f"""CREATE TRIGGER _log_{table}_delete AFTER DELETE ON {_q(table)} {_WHEN}
BEGIN
  {_GUARD}
  INSERT INTO change_log ({_COLUMNS})
  SELECT c.device_id, {_NEXT_SEQ}, c.hlc, c.actor, '{table}', OLD.id, 'delete',
         NULL, {_object("OLD", columns)}
  FROM _write_context c;
END"""
    return {
        f"_log_{table}_insert": insert,
        f"_log_{table}_update": update,
        f"_log_{table}_delete": delete,
    }


def install_triggers(db: Database, tables: Iterable[str]) -> None:
    """(Re)create the logging triggers so they cover every current column."""
    existing = {
        row[0]: row[1]
        for row in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    }
    for table in tables:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({_q(table)})")]
        if not columns:  # created by a later migration; migrate() installs it then
            continue
        for name, sql in trigger_sql(table, columns).items():
            if existing.get(name) == sql:
                continue
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
            db.execute(sql)


def entries(
    db: Database, device_id: str | None = None, after_seq: int = 0
) -> Iterator[ChangeEntry]:
    """Log entries in apply order: per device by seq."""
    if device_id is None:
        rows = db.query("SELECT * FROM change_log ORDER BY device_id, seq")
    else:
        rows = db.query(
            "SELECT * FROM change_log WHERE device_id = ? AND seq > ? ORDER BY seq",
            [device_id, after_seq],
        )
    for row in rows:
        yield ChangeEntry.from_row(row)


def apply_entry(db: Database, entry: ChangeEntry) -> None:
    """Apply one entry's data change as-is (the caller holds the transaction and has set
    `replaying`). Merge rules belong to sync; this is the raw replay."""
    from gridapp.storage import records  # records imports the schema, which imports us

    if entry.op == "insert":
        assert entry.fields is not None
        records.insert(db, entry.entity, entry.fields)
    elif entry.op == "update":
        assert entry.fields is not None
        records.update(db, entry.entity, entry.record_id, entry.fields)
    else:
        records.delete(db, entry.entity, entry.record_id)


_ENCODE = msgspec.json.Encoder().encode


def _dump(value: dict[str, Any] | None) -> str | None:
    """Compact JSON, characters as they are (what json.dumps with ensure_ascii=False and
    tight separators writes, ~10x faster: a merge logs every entry it applies)."""
    return None if value is None else _ENCODE(value).decode("utf-8")


def record_entry(db: Database, entry: ChangeEntry) -> None:
    """Copy an entry born elsewhere into this log, keeping its origin device and seq."""
    record_entries(db, [entry])


def record_entries(db: Database, entries: Iterable[ChangeEntry]) -> None:
    db.conn.executemany(
        f"INSERT INTO change_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                e.device_id,
                e.seq,
                e.hlc,
                e.actor,
                e.entity,
                e.record_id,
                e.op,
                _dump(e.fields),
                _dump(e.base),
            )
            for e in entries
        ],
    )


def unsent_count(db: Database, device_id: str, after_seq: int) -> int:
    """This device's changes after `after_seq`, less its own device row: the office knows
    that from the enrolment request, so a newly enrolled laptop has nothing to send."""
    row = db.execute(
        "SELECT count(*) FROM change_log WHERE device_id = ? AND seq > ? AND entity != 'device'",
        [device_id, after_seq],
    ).fetchone()
    return int(row[0])


def last_seq(db: Database, device_id: str) -> int:
    row = db.execute(
        "SELECT COALESCE(MAX(seq), 0) FROM change_log WHERE device_id = ?", [device_id]
    ).fetchone()
    return int(row[0])
