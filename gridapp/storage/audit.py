"""The audit log: who did what sensitive thing, when (sign-ins, phone reveals, exports,
voids, conflict decisions, enrolments, revocations, restores, purges).

Local to this database (never synced), append-only (triggers refuse UPDATE and
DELETE) and hash-chained: each entry's hash covers the previous one, so an entry
removed or edited with a raw SQLite tool breaks the chain where it happened.
Entries name records by id and never carry personal data (a reveal says which
household, not the number).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    hash: str


def create(db: Database) -> None:
    db.execute(
        """CREATE TABLE _audit (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '{}',
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX _audit_action ON _audit(action, at)")
    for op in ("UPDATE", "DELETE"):
        db.execute(
            f"""CREATE TRIGGER _audit_append_only_{op.lower()} BEFORE {op} ON _audit
            BEGIN SELECT RAISE(ABORT, 'gridapp: the audit log is append-only'); END"""
        )


def _digest(prev: str, at: str, actor: str, action: str, target: str, detail: str) -> str:
    material = "\x1f".join((prev, at, actor, action, target, detail))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def append(db: Database, at: str, actor: str, action: str, target: str = "", **detail: Any) -> int:
    """Add one entry inside the caller's transaction (so an action and its audit line
    commit together or not at all); returns its seq."""
    row = db.execute("SELECT hash FROM _audit ORDER BY seq DESC LIMIT 1").fetchone()
    prev = row[0] if row else GENESIS
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True)
    digest = _digest(prev, at, actor, action, target, text)
    cursor = db.execute(
        "INSERT INTO _audit (at, actor, action, target, detail, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [at, actor, action, target, text, prev, digest],
    )
    return int(cursor.lastrowid or 0)


def entries(
    db: Database, action: str | None = None, since: str | None = None, limit: int | None = None
) -> Iterator[AuditEntry]:
    """Newest first."""
    where, params = [], []
    if action:
        where.append("action = ?")
        params.append(action)
    if since:
        where.append("at >= ?")
        params.append(since)
    sql = "SELECT seq, at, actor, action, target, detail, hash FROM _audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY seq DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    for seq, at, actor, act, target, detail, digest in db.execute(sql, params):
        yield AuditEntry(seq, at, actor, act, target, json.loads(detail), digest)


def verify_chain(db: Database) -> int | None:
    """The seq of the first entry whose chain is broken, or None if the log is whole."""
    prev = GENESIS
    expected_seq: int | None = None
    for seq, at, actor, action, target, detail, prev_hash, digest in db.execute(
        "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM _audit ORDER BY seq"
    ):
        if expected_seq is not None and seq != expected_seq:
            return int(seq)
        if prev_hash != prev or _digest(prev, at, actor, action, target, detail) != digest:
            return int(seq)
        prev, expected_seq = digest, seq + 1
    return None


def as_rows(found: Iterator[AuditEntry]) -> Iterator[Mapping[str, Any]]:
    for e in found:
        yield {
            "seq": e.seq,
            "at": e.at,
            "actor": e.actor,
            "action": e.action,
            "target": e.target,
            "detail": e.detail,
        }
