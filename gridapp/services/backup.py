"""Backups as the app uses them: daily on open, before every bundle import, before every
schema migration (Store.open), on request; restore after every check has passed.

A restore replaces the whole database with an older copy: anything recorded since is
no longer in it (the replaced file is kept aside, never deleted). A running desktop
holds several connections, so it *stages* a restore that the next start applies
before anything opens the database; the command line restores at once.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from gridapp.audit_actions import BACKUP_MADE, BACKUP_RESTORED, SYSTEM_ACTOR
from gridapp.clock import Clock, SystemClock, parse_iso
from gridapp.errors import EnvironmentFault, GridappError, InvalidInput
from gridapp.files import write_atomic
from gridapp.services.audit import note, safe_target
from gridapp.services.guard import actor_of, requires
from gridapp.storage import backup, schema
from gridapp.storage.backup import BackupInfo, BackupRefused
from gridapp.storage.database import database_errors, open_database, translate_sqlite_errors
from gridapp.storage.store import DB_FILENAME, Store
from gridapp.trust.roles import Action

log = logging.getLogger("gridapp.backup")

BACKUPS_DIR = "backups"
PENDING_FILE = "restore-pending.json"
DAILY_EVERY = timedelta(hours=24)


def known_schemas() -> set[str]:
    return {m.name for m in schema.migrations._migrations}


class BackupService:
    def __init__(self, store: Store, key: bytes | None = None) -> None:
        self.store = store
        #: The SQLCipher key of this database, when it is encrypted (backups keep it).
        self.key = key if key is not None else store.key

    @property
    def folder(self) -> Path | None:
        return self.store.path.parent / BACKUPS_DIR if self.store.path is not None else None

    def _folder(self) -> Path:
        if self.folder is None:
            raise InvalidInput("error.backup.in_memory")
        return self.folder

    # -- making -----------------------------------------------------------------------
    @requires(Action.BACKUP)
    def now(self) -> BackupInfo:
        """Back up now, as the signed-in worker asked."""
        return self._make(actor_of(self.store).code, "manual")

    def _make(self, actor: str, kind: str) -> BackupInfo:
        """Older copies of the kind beyond what is kept are removed. `actor` is the
        signed-in worker, or the app itself for the automatic daily and pre-import
        copies (no one asked for those)."""
        folder = self._folder()
        with translate_sqlite_errors(self.store.path):
            info = backup.make(
                self.store.db,
                folder,
                kind,
                self.store.clock.now(),
                schema.schema_version(self.store.db),
                self.key,
            )
        backup.rotate(folder, kind)
        with self.store.unit_of_work(actor) as db:
            note(self.store, db, actor, BACKUP_MADE, Path(info.path).name, kind=kind)
        log.info("backup %s (%s, %d bytes)", info.path, kind, info.size)
        return info

    def ensure_daily(self) -> BackupInfo | None:
        """On open: a daily backup unless the newest is younger than a day. Never stops
        the app: a full disk is logged and tried again at the next start."""
        if self.folder is None or self.store.local_device() is None:
            return None
        now = self.store.clock.now()
        for info in backup.listing(self.folder):  # the app's own look, whoever signed in
            if info.kind == "daily" and info.created_at:
                try:
                    if now - parse_iso(info.created_at) < DAILY_EVERY:
                        return None
                except ValueError:
                    continue
                break
        try:
            return self._make(SYSTEM_ACTOR, "daily")
        except EnvironmentFault as exc:
            log.warning("daily backup failed: %s", exc)
            return None

    def before_import(self) -> BackupInfo | None:
        """Before bundles merge into the database. If it cannot be made (disk full),
        the import is refused too: merging without a way back is not worth it."""
        if self.folder is None or self.store.local_device() is None:
            return None
        return self._make(SYSTEM_ACTOR, "pre-import")

    # -- reading ----------------------------------------------------------------------
    @requires(Action.BACKUP)
    def list(self) -> list[BackupInfo]:
        return backup.listing(self.folder) if self.folder is not None else []

    def expected_identity(self) -> dict[str, str]:
        return expected_identity(self.store.path, self.store.db)

    @requires(Action.BACKUP)
    def check(self, path: Path) -> dict[str, Any]:
        """Signature, checksum, integrity, same laptop, not from a newer app."""
        return backup.check(path, self.expected_identity(), known_schemas(), self.key)

    # -- restoring --------------------------------------------------------------------
    @requires(Action.RESTORE)
    def restore(self, path: Path) -> Path:
        """Check, keep the current database aside, swap the copy in, reopen, audit.
        Returns where the replaced database was kept. Refused → nothing changed."""
        actor = actor_of(self.store).code
        live = self.store.path
        if live is None:
            raise InvalidInput("error.backup.in_memory")
        manifest = self.check(path)
        with translate_sqlite_errors(live):
            backup.checkpoint(self.store.db)
        self.store.db.close()
        try:
            aside = backup.swap_in(path, live, self.store.clock.now())
        finally:
            with translate_sqlite_errors(live):
                self.store.db = open_database(live, **_key_args(self.key))
                schema.migrate(self.store.db)
        with self.store.unit_of_work(actor) as db:
            note(
                self.store,
                db,
                actor,
                BACKUP_RESTORED,
                safe_target(path.name),
                kind=str(manifest.get("kind", "")),
                created_at=str(manifest.get("created_at", "")),
            )
        return aside

    def stage_restore(self, path: Path) -> None:
        """Check now, restore at the next start (the desktop's way: see module doc)."""
        self.check(path)
        stage_restore(self._folder().parent, path)


def _key_args(key: bytes | None) -> dict[str, Any]:
    return {"key": key} if key is not None else {}


def expected_identity(live: Path | None, db: Any | None) -> dict[str, str]:
    """Whose backups may be restored here: this database's identity, or when it cannot
    be read (damaged) the public copy kept in the backups folder."""
    if db is not None:
        unreadable: tuple[type[Exception], ...] = (GridappError, *database_errors())
        try:
            found = backup.local_identity(db)
        except unreadable:
            found = None  # damaged: the public copy below answers instead
        if found is not None:
            return {
                "device_id": found["device_id"],
                "sign_public_key": backup.public_key_of(found["sign_secret"]),
            }
    if live is not None:
        kept = backup.load_identity(live.parent / BACKUPS_DIR)
        if kept is not None:
            return kept
    raise BackupRefused("no_identity", file=str(live or ""))


def stage_restore(data_dir: Path, path: Path) -> None:
    target = data_dir / PENDING_FILE
    write_atomic(target, json.dumps({"path": str(path.resolve())}))


def pending_restore(data_dir: Path) -> Path | None:
    try:
        raw = json.loads((data_dir / PENDING_FILE).read_text(encoding="utf-8"))
        return Path(raw["path"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def restore_closed(
    data_dir: Path,
    path: Path,
    actor: str = SYSTEM_ACTOR,
    clock: Clock | None = None,
    key: bytes | None = None,
) -> Path:
    """Restore while nothing has the database open (at start-up, also when the live
    file is too damaged to open). Returns where the replaced database was kept."""
    live = data_dir / DB_FILENAME
    db = None
    try:
        db = open_database(live, **_key_args(key)) if live.exists() else None
    except GridappError:
        db = None
    try:
        expected = expected_identity(live, db)
    finally:
        if db is not None:
            db.close()
    backup.check(path, expected, known_schemas(), key)
    aside = backup.swap_in(path, live, (clock or SystemClock()).now())
    (data_dir / PENDING_FILE).unlink(missing_ok=True)
    store = Store.open(live, clock, key)
    try:
        with store.unit_of_work(actor) as udb:
            note(store, udb, actor, BACKUP_RESTORED, safe_target(path.name))
    finally:
        store.close()
    return aside


def newest_good(data_dir: Path, key: bytes | None = None) -> Path | None:
    """The newest backup in the folder that passes every check (for a damaged
    database at start-up), or None."""
    live = data_dir / DB_FILENAME
    try:
        expected = expected_identity(live, None)
    except BackupRefused:
        return None
    for info in backup.listing(data_dir / BACKUPS_DIR):
        try:
            backup.check(Path(info.path), expected, known_schemas(), key)
        except GridappError:
            continue
        return Path(info.path)
    return None
