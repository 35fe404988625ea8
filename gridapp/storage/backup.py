"""Backups of the database file: a consistent copy through SQLite's online backup API
(safe while the app is open), a signed sidecar manifest, checks before any restore,
and an atomic swap.

Each backup `gridapp-<kind>-<YYYYmmdd-HHMMSS>.db` in `<data-dir>/backups/` has a
`….db.manifest.json` next to it: the copy's sha256 and size, this device's id, the
schema version, the time and the kind, signed with this device's Ed25519 key. A backup
edited, truncated, swapped for another laptop's, or from a newer app is refused before
anything is touched. The signing key lives in the database; `identity.json` in the
backups folder keeps the *public* half, so a backup can still be checked when the live
database is too damaged to read.

`key`: an encrypted database (SQLCipher) is copied into a target opened with the same
key, so its backups stay encrypted; None means a plain SQLite file.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from gridapp.clock import iso
from gridapp.errors import InvalidInput
from gridapp.files import atomic_path, copy_atomic, file_errors, write_atomic
from gridapp.private import private_dir
from gridapp.storage.database import database_errors, open_database, open_snapshot

log = logging.getLogger("gridapp.backup")

FORMAT = "gridapp-backup"
FORMAT_VERSION = 1
KINDS = ("daily", "pre-import", "pre-migration", "manual")
#: How many of each kind are kept, newest first. A week of dailies covers a laptop
#: left in a drawer over a holiday; ten pre-import copies cover a busy merge evening
#: at the office (one per laptop's bundle batch); a schema migration happens once per
#: app update, so three span the last three updates.
KEEP = {"daily": 7, "pre-import": 10, "pre-migration": 3, "manual": 10}
MANIFEST_SUFFIX = ".manifest.json"
IDENTITY_FILE = "identity.json"
_NAME = re.compile(r"gridapp-(daily|pre-import|pre-migration|manual)-(\d{8}-\d{6})(?:-(\d+))?\.db")

Opener = Callable[..., Database]


@dataclass(frozen=True)
class BackupInfo:
    path: str
    kind: str
    created_at: str
    device_id: str
    schema: str
    size: int
    sha256: str


class BackupRefused(InvalidInput):
    """A backup that must not be restored; `reason` names what was wrong."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(f"error.backup.{reason}", **params)
        self.reason = reason


# -- identity ---------------------------------------------------------------------------


def local_identity(db: Database) -> dict[str, str] | None:
    """This database's device id, role and signing secret, or None (not initialised)."""
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_local_device'"
    ).fetchone()
    if not exists:
        return None
    row = db.execute("SELECT device_id, role, sign_secret FROM _local_device").fetchone()
    return {"device_id": row[0], "role": row[1], "sign_secret": row[2]} if row else None


def _signing_key(secret: str) -> Any:
    from nacl.signing import SigningKey  # libsodium: load when backing up

    return SigningKey(base64.b64decode(secret))


def public_key_of(secret: str) -> str:
    return base64.b64encode(bytes(_signing_key(secret).verify_key)).decode("ascii")


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode()


def _verify(public_key: str, message: bytes, signature: str) -> bool:
    from nacl.exceptions import BadSignatureError, CryptoError
    from nacl.signing import VerifyKey

    try:
        VerifyKey(base64.b64decode(public_key)).verify(message, base64.b64decode(signature))
    except (BadSignatureError, CryptoError, ValueError, TypeError):
        return False
    return True


def save_identity(folder: Path, device_id: str, sign_public_key: str) -> None:
    text = json.dumps({"device_id": device_id, "sign_public_key": sign_public_key}, indent=1)
    target = folder / IDENTITY_FILE
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        write_atomic(target, text)


def load_identity(folder: Path) -> dict[str, str] | None:
    try:
        raw = json.loads((folder / IDENTITY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or not all(
        isinstance(raw.get(k), str) for k in ("device_id", "sign_public_key")
    ):
        return None
    return {"device_id": raw["device_id"], "sign_public_key": raw["sign_public_key"]}


# -- making ---------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _target_name(folder: Path, kind: str, at: datetime) -> Path:
    stamp = at.strftime("%Y%m%d-%H%M%S")
    target = folder / f"gridapp-{kind}-{stamp}.db"
    n = 2
    # A `.part` left by a backup that was killed midway is not ours to open: a copy
    # into it reads its half-written pages ("malformed"). Take the next name.
    while target.exists() or _part_of(target).exists():
        target = folder / f"gridapp-{kind}-{stamp}-{n}.db"
        n += 1
    return target


def make(
    db: Database,
    folder: Path,
    kind: str,
    at: datetime,
    schema: str,
    key: bytes | None = None,
    opener: Opener = open_database,
) -> BackupInfo:
    """Copy the open database into `folder` and sign the manifest. A full or read-only
    disk raises DiskFull / ReadOnlyLocation and leaves no partial backup."""
    if kind not in KINDS:
        raise ValueError(kind)
    identity = local_identity(db)
    if identity is None:
        raise InvalidInput("error.not_initialised", path=str(folder))
    with file_errors(folder):
        private_dir(folder)
    target = _target_name(folder, kind, at)
    sidecar = target.with_name(target.name + MANIFEST_SUFFIX)
    try:
        # The copy fills `NAME.part` (the name `_target_name` and `rotate` know); it
        # becomes the backup once whole, fsynced and its manifest written (gridapp.files).
        with atomic_path(target, part=_part_of(target)) as part:
            _copy(db, part, key, opener)
            size, digest = part.stat().st_size, sha256_of(part)
            body = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "kind": kind,
                "created_at": iso(at),
                "device_id": identity["device_id"],
                "schema": schema,
                "size": size,
                "sha256": digest,
                "encrypted": key is not None,
            }
            signature = _signing_key(identity["sign_secret"]).sign(_canonical(body)).signature
            manifest = {**body, "signature": base64.b64encode(bytes(signature)).decode("ascii")}
            write_atomic(sidecar, json.dumps(manifest, indent=1))
        with file_errors(target):
            save_identity(folder, identity["device_id"], public_key_of(identity["sign_secret"]))
    except BaseException:
        if not target.exists():
            with contextlib.suppress(OSError):
                sidecar.unlink()
        raise
    return BackupInfo(str(target), kind, iso(at), identity["device_id"], schema, size, digest)


def _copy(db: Database, part: Path, key: bytes | None, opener: Opener) -> None:
    """The online backup API: a consistent snapshot even while others write."""
    with file_errors(part):
        # Into the private file gridapp.files made for it (never the umask's mode).
        target = sqlite3.connect(str(part)) if key is None else opener(part, key=key).conn
        try:
            # The .part file is fsynced and renamed once whole: a journal on the way
            # would only double the writing.
            target.execute("PRAGMA journal_mode = OFF")
            target.execute("PRAGMA synchronous = OFF")
            try:
                db.conn.backup(target)
            except sqlite3.OperationalError as exc:
                if "full" not in str(exc).lower():
                    raise  # locked, unreadable: the caller's sqlite translation words it
                raise OSError(errno.ENOSPC, str(exc)) from exc
            # One self-contained file: no -wal to carry along.
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()


# -- listing and rotation -------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        raw = json.loads(path.with_name(path.name + MANIFEST_SUFFIX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return raw if isinstance(raw, dict) else None


def listing(folder: Path) -> list[BackupInfo]:
    """Backups in the folder, newest first (by the time in the name)."""
    found: list[tuple[str, int, BackupInfo]] = []
    if not folder.is_dir():
        return []
    for path in folder.iterdir():
        match = _NAME.fullmatch(path.name)
        if not match:
            continue
        manifest = read_manifest(path) or {}
        info = BackupInfo(
            str(path),
            match.group(1),
            str(manifest.get("created_at", "")),
            str(manifest.get("device_id", "")),
            str(manifest.get("schema", "")),
            path.stat().st_size,
            str(manifest.get("sha256", "")),
        )
        found.append((match.group(2), int(match.group(3) or 1), info))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [info for _, _, info in found]


def _part_of(target: Path) -> Path:
    return target.with_name(target.name + ".part")


#: A `.part` older than this was left by a killed backup (a live one takes seconds).
STALE_PART_S = 3600


def rotate(folder: Path, kind: str, keep: int | None = None) -> list[str]:
    """Remove the oldest backups of a kind beyond what is kept, and what killed backups
    left behind; returns removed paths."""
    limit = KEEP[kind] if keep is None else keep
    removed = []
    now = time.time()
    for pattern in ("*.part", "*.part-wal", "*.part-shm", "*.part-journal"):
        for stale in folder.glob(pattern):
            with contextlib.suppress(OSError):
                if now - stale.stat().st_mtime > STALE_PART_S:
                    stale.unlink()
                    removed.append(str(stale))
    for info in [b for b in listing(folder) if b.kind == kind][limit:]:
        path = Path(info.path)
        with contextlib.suppress(OSError):
            path.unlink()
            path.with_name(path.name + MANIFEST_SUFFIX).unlink(missing_ok=True)
            removed.append(info.path)
    return removed


def as_dict(info: BackupInfo) -> dict[str, Any]:
    return asdict(info)


# -- checking and restoring -----------------------------------------------------------


def check(
    path: Path,
    expected: dict[str, str],
    known_schemas: set[str],
    key: bytes | None = None,
    opener: Opener = open_database,
) -> dict[str, Any]:
    """Everything that must hold before a restore; the manifest when it does.

    `expected` is this database's identity: {device_id, sign_public_key}."""
    name = path.name
    if not path.is_file():
        raise BackupRefused("missing", file=name)
    manifest = read_manifest(path)
    if manifest is None or manifest.get("format") != FORMAT:
        raise BackupRefused("no_manifest", file=name)
    signature = manifest.pop("signature", "")
    if not isinstance(signature, str) or not _verify(
        expected["sign_public_key"], _canonical(manifest), signature
    ):
        # Either edited, or signed by another laptop's key.
        if manifest.get("device_id") not in (None, expected["device_id"]):
            raise BackupRefused("foreign", file=name)
        raise BackupRefused("signature", file=name)
    if manifest.get("device_id") != expected["device_id"]:
        raise BackupRefused("foreign", file=name)
    if path.stat().st_size != manifest.get("size") or sha256_of(path) != manifest.get("sha256"):
        raise BackupRefused("altered", file=name)
    if manifest.get("schema") not in known_schemas:
        raise BackupRefused("newer", file=name, schema=str(manifest.get("schema"))[:40])
    _check_contents(path, expected["device_id"], known_schemas, key, opener)
    return manifest


def _check_contents(
    path: Path, device_id: str, known_schemas: set[str], key: bytes | None, opener: Opener
) -> None:
    from gridapp.storage.schema import migrations  # schema imports this module's callers

    name = path.name
    unreadable: tuple[type[Exception], ...] = (ValueError, *database_errors())
    try:
        # Read-only and immutable: a check must not change the bytes it checks (an
        # opener would set WAL mode in the header, and the next check says "altered").
        db = open_snapshot(path, key)
    except unreadable as exc:
        raise BackupRefused("unreadable", file=name) from exc
    try:
        result = db.execute("PRAGMA integrity_check").fetchall()
        if [r[0] for r in result] != ["ok"]:
            raise BackupRefused("corrupt", file=name)
        identity = local_identity(db)
        if identity is None or identity["device_id"] != device_id:
            raise BackupRefused("foreign", file=name)
        applied = {m.name for m in migrations.applied(db)}
        if not applied <= known_schemas:
            raise BackupRefused("newer", file=name, schema=sorted(applied - known_schemas)[-1])
    except database_errors() as exc:
        raise BackupRefused("corrupt", file=name) from exc
    finally:
        db.close()


def swap_in(backup: Path, live: Path, at: datetime) -> Path:
    """Put a checked backup in place of the (closed) live database, atomically; the
    live one is kept aside as `gridapp-replaced-<time>.db`. Returns where it went."""
    for suffix in ("-wal", "-shm"):
        side = live.with_name(live.name + suffix)
        if side.exists() and side.stat().st_size > 0 and suffix == "-wal":
            # Another program still has the database open: swapping now would let
            # its journal land on the restored file.
            from gridapp.errors import DatabaseLocked

            raise DatabaseLocked(path=str(live))
    aside = live.with_name(f"gridapp-replaced-{at.strftime('%Y%m%d-%H%M%S')}.db")
    with atomic_path(live) as part:
        with open(backup, "rb") as source, open(part, "wb") as copy:
            shutil.copyfileobj(source, copy, 1 << 20)
        if live.exists():
            try:
                os.link(live, aside)  # the old file keeps its name until replaced
            except OSError:
                copy_atomic(live, aside)
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(OSError):
            live.with_name(live.name + suffix).unlink()
    return aside


def before_migration(
    db: Database, path: Path | None, clock: Any, key: bytes | None = None
) -> str | None:
    """Store.open: a copy before the schema changes under an initialised database.
    Returns the backup's file name, or None when none was due."""
    from gridapp.storage.schema import migrations, schema_version

    if path is None or not migrations.pending(db) or local_identity(db) is None:
        return None
    folder = Path(path).parent / "backups"
    info = make(db, folder, "pre-migration", clock.now(), schema_version(db), key=key)
    rotate(folder, "pre-migration")
    return Path(info.path).name


def checkpoint(db: Database) -> None:
    """Fold the write-ahead log into the file before it is closed and swapped."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
