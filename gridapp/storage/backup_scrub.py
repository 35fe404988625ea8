"""Backups after an erasure: no copy of erased personal data stays behind.

Once an erasure has committed (a laptop letting go of households its team no longer
holds, a campaign purge), every backup made before it may still hold what was erased:
the pre-import copy taken just before that roster, the dailies, a manual one. They are
replaced by one fresh backup of the now-clean database (kind `daily`, a signed manifest
like any other, so the restore checks pass) and then deleted with their manifests, and
whatever a killed backup left (`*.part*`) goes too. The caller writes the audit line.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from gridapp.storage import backup

log = logging.getLogger("gridapp.backup")


@dataclass(frozen=True)
class Scrubbed:
    removed: int
    fresh: str  # the fresh backup's file name, '' when it could not be made


def scrub(
    db: Database, folder: Path, at: datetime, schema: str, key: bytes | None = None
) -> Scrubbed:
    """Replace every backup in `folder` by one fresh copy of `db` (already compacted).
    Removing the old ones never waits for the new one: a full disk costs the fresh
    copy (logged), never the erasure."""
    if not folder.is_dir():
        return Scrubbed(0, "")
    old = [Path(info.path) for info in backup.listing(folder)]
    fresh = ""
    try:
        fresh = Path(backup.make(db, folder, "daily", at, schema, key=key).path).name
    except Exception as exc:
        log.warning("fresh backup after an erasure failed: %s", exc)
    removed = 0
    for path in old:
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
        with contextlib.suppress(OSError):
            path.with_name(path.name + backup.MANIFEST_SUFFIX).unlink()
    for pattern in ("*.part", "*.part-wal", "*.part-shm", "*.part-journal"):
        for stale in folder.glob(pattern):
            with contextlib.suppress(OSError):
                stale.unlink()
    return Scrubbed(removed, fresh)
