"""The store: one open database, this device, and the unit of work every write runs in."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from gridapp.actor import Actor
from gridapp.clock import Clock, Hlc, SystemClock, epoch_ms, iso
from gridapp.errors import InvalidInput
from gridapp.ids import uuid7
from gridapp.storage import audit, backup, schema
from gridapp.storage.database import database_errors, open_database, translate_sqlite_errors

log = logging.getLogger("gridapp.storage")

DB_FILENAME = "gridapp.db"


class _Acting:
    """The one place a signed-in actor is held, shared by a store and its siblings."""

    def __init__(self) -> None:
        self.actor: Actor | None = None


@dataclass(frozen=True)
class LocalDevice:
    device_id: str
    role: str
    name: str
    sign_secret: str
    box_secret: str


class Store:
    """Owns the connection. Services write only through `unit_of_work`."""

    def __init__(
        self,
        db: Database,
        clock: Clock | None = None,
        path: Path | None = None,
        key: bytes | None = None,
    ) -> None:
        self.db = db
        self.clock: Clock = clock or SystemClock()
        self.path = path
        #: The SQLCipher key this database was opened with (None: plain SQLite), for the
        #: connections and copies made from it (background reads, backups).
        self.key = key
        self._depth = 0
        #: Seeded by the demo and tests so ids repeat; None means the OS's randomness.
        self.id_random: random.Random | None = None
        #: Run inside every writing transaction just before it commits (derived data such
        #: as the search index stays in step with whatever wrote, in the same commit).
        self.commit_hooks: list[Callable[[Database], None]] = []
        #: Who every service call acts as (services/guard.py), shared with the sibling
        #: connections made from this one: None until a sign-in binds a worker (a plain
        #: database then acts as `actor.PLAIN`).
        self._acting = _Acting()

    def new_id(self, moment: datetime | None = None) -> str:
        return uuid7(moment or self.clock.now(), self.id_random)

    @classmethod
    def open(cls, path: Path | None, clock: Clock | None = None, key: bytes | None = None) -> Store:
        """`key` opens (or creates) the SQLCipher-encrypted database; None, plain SQLite."""
        with translate_sqlite_errors(path):
            db = open_database(path, key)
            made = backup.before_migration(db, path, clock or SystemClock(), key)
            schema.migrate(db)
        store = cls(db, clock, path, key)
        if made is not None:
            with translate_sqlite_errors(path), store._transaction():
                audit.append(
                    db, iso(store.clock.now()), "system", "backup_made", made, kind="pre-migration"
                )
        return store

    @classmethod
    def open_in(cls, data_dir: Path, clock: Clock | None = None, key: bytes | None = None) -> Store:
        return cls.open(data_dir / DB_FILENAME, clock, key)

    def close(self) -> None:
        self.db.close()

    @property
    def actor(self) -> Actor | None:
        return self._acting.actor

    @actor.setter
    def actor(self, actor: Actor | None) -> None:
        self._acting.actor = actor

    def sibling(self) -> Store:
        """Another connection to the same database, for another thread: same clock,
        same key, and the same signed-in actor, now and after any change (a background
        read or write acts as the worker who asked for it)."""
        if self.path is None:
            raise InvalidInput("error.backup.in_memory")
        other = Store.open(self.path, self.clock, self.key)
        other._acting = self._acting
        return other

    # -- this device -------------------------------------------------------------
    def local_device(self) -> LocalDevice | None:
        row = self.db.execute(
            "SELECT device_id, role, name, sign_secret, box_secret FROM _local_device"
        ).fetchone()
        return LocalDevice(*row) if row else None

    def require_device(self) -> LocalDevice:
        device = self.local_device()
        if device is None:
            raise InvalidInput("error.not_initialised", path=str(self.path or ":memory:"))
        return device

    def claim_identity(self, device: LocalDevice) -> None:
        """Bind this database to a device, once (init)."""
        with translate_sqlite_errors(self.path), self._transaction():
            if self.local_device() is not None:
                raise InvalidInput("error.already_initialised", path=str(self.path))
            self.db.execute(
                "INSERT INTO _local_device (id, device_id, role, name, sign_secret, box_secret,"
                " hlc, created_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                [
                    device.device_id,
                    device.role,
                    device.name,
                    device.sign_secret,
                    device.box_secret,
                    Hlc(0).encode(),
                    iso(self.clock.now()),
                ],
            )
            self.db.execute(
                "UPDATE _write_context SET device_id = ? WHERE id = 1", [device.device_id]
            )

    # -- transactions ------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[Database]:
        conn = self.db.conn
        if conn.in_transaction:
            raise RuntimeError("transaction already open on this connection")
        # IMMEDIATE takes the write lock now, so a read-then-write never fails with
        # SQLITE_BUSY halfway; busy_timeout waits for another writer instead.
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    @contextmanager
    def unit_of_work(self, actor: str) -> Iterator[Database]:
        """One user action: one transaction, one HLC stamp, its change-log entries.

        Nested calls join the outer unit (a service may call another service).
        """
        if self._depth:
            self._depth += 1
            try:
                yield self.db
            finally:
                self._depth -= 1
            return
        self.require_device()
        with translate_sqlite_errors(self.path), self._transaction() as db:
            self._depth = 1
            try:
                last = Hlc.decode(db.execute("SELECT hlc FROM _local_device").fetchone()[0])
                stamp = last.tick(epoch_ms(self.clock.now())).encode()
                db.execute("UPDATE _local_device SET hlc = ?", [stamp])
                db.execute(
                    "UPDATE _write_context SET actor = ?, hlc = ? WHERE id = 1", [actor, stamp]
                )
                yield db
                for hook in self.commit_hooks:
                    hook(db)
                db.execute("UPDATE _write_context SET actor = NULL, hlc = NULL WHERE id = 1")
            finally:
                self._depth = 0

    @contextmanager
    def replaying(self, defer_foreign_keys: bool = False) -> Iterator[Database]:
        """A transaction in which applied entries keep their origin (sync, replay).

        `defer_foreign_keys` checks references at commit rather than per row, for
        content whose order is the sender's, not ours."""
        with translate_sqlite_errors(self.path), self._transaction() as db:
            if defer_foreign_keys:
                db.execute("PRAGMA defer_foreign_keys = ON")
            db.execute("UPDATE _write_context SET replaying = 1 WHERE id = 1")
            yield db
            for hook in self.commit_hooks:
                hook(db)
            db.execute("UPDATE _write_context SET replaying = 0 WHERE id = 1")

    def integrity_ok(self) -> bool:
        try:
            return bool(self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
        except database_errors():
            return False
