"""Refused files kept for review, within bounds: a hostile stream of files must not fill
the office's disk (docs/threat-model.md).

A file up to `WHOLE_LIMIT` is kept whole; a larger one only by its first `HEAD_BYTES`,
its size and its sha256. Each kept file has a `.reason.txt` beside it: the verdict.
The folder keeps at most `QUOTA_FILES` files and `QUOTA_BYTES` bytes; the oldest go
first.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
import stat
from datetime import datetime
from pathlib import Path

from gridapp.audit_actions import BUNDLE_REFUSED
from gridapp.clock import iso
from gridapp.errors import EnvironmentFault
from gridapp.files import atomic_output, write_atomic
from gridapp.private import private_dir
from gridapp.storage import audit, sync_store
from gridapp.storage.store import Store
from gridapp.sync.container import BundleRefused

log = logging.getLogger("gridapp.sync")

WHOLE_LIMIT = 16 * 1024 * 1024
HEAD_BYTES = 64 * 1024
QUOTA_BYTES = 512 * 1024 * 1024
QUOTA_FILES = 400
REASON_SUFFIX = ".reason.txt"
HEAD_SUFFIX = ".head"

_UNSAFE = re.compile(r"[^\w.\-]+")

#: Refusals of a bundle whose signature verified: the laptop's key sent something it
#: may not. The office sees them as alarms (dashboard) and in the audit log.
ALARMS = ("entry", "authority.", "foreign_entry", "cloned", "constraint")


def record(store: Store, path: Path, exc: BundleRefused, actor: str, folder: Path) -> str:
    """A refusal's traces: the file kept aside, and an alarm when an enrolled laptop
    signed it. Returns where the file was kept ("" if it could not be)."""
    kept = keep(folder, path, store.clock.now(), exc)
    if exc.sender and exc.reason.startswith(ALARMS):
        _alarm(store, path, exc, actor)
    return kept


def _alarm(store: Store, path: Path, exc: BundleRefused, actor: str) -> None:
    at = iso(store.clock.now())
    detail = json.dumps({"reason": exc.reason, **exc.params}, ensure_ascii=False, sort_keys=True)
    try:
        with store.replaying() as db:
            sync_store.raise_alarm(db, at, exc.sender, path.name[:200], exc.reason, detail)
            audit.append(
                db,
                at,
                actor,
                BUNDLE_REFUSED,
                path.name[:200],
                sender=exc.sender,
                reason=exc.reason,
                seq=exc.params.get("seq"),
                entity=exc.params.get("entity"),
                field=exc.params.get("field"),
            )
    except Exception:  # the refusal stands even if its alarm cannot be written
        log.exception("could not record the alarm for %s", path.name)


def keep(folder: Path, path: Path, now: datetime, exc: BundleRefused) -> str:
    """Keep `path` (or its head) under `folder` with its verdict; returns where, or ""
    when nothing could be kept (not a regular file, or the disk refused)."""
    try:
        info = path.stat()
    except OSError:
        info = None
    try:
        private_dir(folder)
        name = _UNSAFE.sub("_", path.name)[-80:] or "bundle"
        target = _free(folder / f"{now.strftime('%Y%m%d-%H%M%S')}-{name}")
        verdict: dict[str, object] = {"reason": exc.reason, "params": exc.params}
        if info is not None and stat.S_ISREG(info.st_mode):
            verdict |= {"size": info.st_size, "sha256": _sha256(path)}
            if info.st_size > WHOLE_LIMIT:
                target = target.with_name(target.name + HEAD_SUFFIX)
                verdict["kept"] = f"first {HEAD_BYTES} bytes"
            _copy(path, target, HEAD_BYTES if info.st_size > WHOLE_LIMIT else None)
        else:
            verdict["kept"] = "nothing (not a regular file)"
            target = target.with_name(target.name + ".none")
        reason = target.with_name(target.name + REASON_SUFFIX)
        text = json.dumps(verdict, ensure_ascii=False, sort_keys=True, default=str) + "\n"
        write_atomic(reason, text)
        rotate(folder)
        return str(target) if target.exists() else ""
    except (OSError, EnvironmentFault):
        log.exception("could not keep the refused file %s", path.name)
        return ""


def rotate(folder: Path, quota_bytes: int = QUOTA_BYTES, quota_files: int = QUOTA_FILES) -> int:
    """Remove the oldest kept files (with their verdicts) beyond the quota; returns how
    many were removed."""
    groups: dict[str, list[Path]] = {}
    for item in folder.iterdir():
        if item.is_file():
            base = item.name.removesuffix(REASON_SUFFIX)
            groups.setdefault(base, []).append(item)
    ordered = sorted(groups.items(), key=lambda kv: (min(p.stat().st_mtime for p in kv[1]), kv[0]))
    total = sum(p.stat().st_size for files in groups.values() for p in files)
    count = len(groups)
    removed = 0
    for _base, files in ordered:
        if total <= quota_bytes and count <= quota_files:
            break
        for item in files:
            with contextlib.suppress(OSError):
                total -= item.stat().st_size
                item.unlink()
        count -= 1
        removed += 1
    return removed


def _free(target: Path) -> Path:
    candidate, n = target, 1
    while candidate.exists() or candidate.with_name(candidate.name + HEAD_SUFFIX).exists():
        n += 1
        candidate = target.with_name(f"{target.name}.{n}")
    return candidate


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _copy(source: Path, target: Path, limit: int | None) -> None:
    """Copy the whole file or its first `limit` bytes, private to this user (whole or
    not at all: gridapp.files)."""
    with source.open("rb") as src, atomic_output(target) as out:
        left = limit
        while True:
            block = src.read(1 << 20 if left is None else min(1 << 20, left))
            if not block:
                break
            out.write(block)
            if left is not None:
                left -= len(block)
                if left <= 0:
                    break
