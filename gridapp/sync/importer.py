"""Reading bundles: sync bundles at the office, roster bundles on a laptop; each applies
in one transaction or not at all, and importing again changes nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from gridapp.audit_actions import BUNDLE_IMPORTED, SYSTEM_ACTOR
from gridapp.clock import CHINA_TZ, Hlc, epoch_ms, iso, parse_iso
from gridapp.errors import GridappError
from gridapp.files import copy_atomic
from gridapp.privacy import comparable
from gridapp.private import private_dir
from gridapp.storage import audit, changelog, purge, sync_store
from gridapp.storage.changelog import ChangeEntry
from gridapp.storage.database import database_errors
from gridapp.storage.schema import migrations
from gridapp.storage.store import Store
from gridapp.sync import merge, refused, wire
from gridapp.sync.authority import Authority, Denied
from gridapp.sync.container import BundleReader, BundleRefused, Manifest
from gridapp.sync.crypto import DeviceKeys, PublicKeys
from gridapp.sync.export import data_dir_of, keys_of

log = logging.getLogger("gridapp.sync")

SKEW_LIMIT = timedelta(hours=24)
BATCH = 1000  # entries merged and logged together, still inside the one transaction
EARLIEST = datetime(2020, 1, 1, tzinfo=CHINA_TZ)
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportResult:
    file: str
    status: str  # applied | already | held | refused
    applied: int = 0
    reason: str = ""  # refused: a catalog key; held: waiting for seq
    params: dict[str, Any] | None = None
    kept_at: str = ""


def import_files(
    store: Store,
    paths: list[Path],
    on_result: Callable[[ImportResult], None] | None = None,
    actor: str = SYSTEM_ACTOR,
) -> list[ImportResult]:
    results = []
    for path in paths:
        result = import_file(store, path, actor)
        results.append(result)
        if on_result:
            on_result(result)
    return results


def import_file(store: Store, path: Path, actor: str = SYSTEM_ACTOR) -> ImportResult:
    """One file's verdict. Whatever happens inside (a refusal, a database rule that
    still fires, a bug of ours), this file's transaction alone rolls back and the next
    file is imported as if this one never came."""
    try:
        role = store.require_device().role
        if role == "office":
            return _import_sync(store, path, actor)
        from gridapp.sync.roster_import import import_roster  # it imports this module

        return import_roster(store, path, actor)
    except BundleRefused as exc:
        return _refused(store, path, exc, actor)
    except GridappError as exc:
        return ImportResult(path.name, "refused", reason=exc.key, params=exc.params)
    except Exception as exc:
        if isinstance(exc, database_errors()):
            # The schema should have stopped it; a rule of the database did instead.
            refusal = BundleRefused("constraint", file=path.name, detail=str(exc)[:200])
        else:  # a bug of ours must not cost the other files their import
            log.exception("importing %s failed", path.name)
            refusal = BundleRefused("internal", file=path.name, detail=type(exc).__name__)
        return _refused(store, path, refusal, actor)


def _refused(store: Store, path: Path, exc: BundleRefused, actor: str) -> ImportResult:
    log.warning("refused %s: %s", path.name, exc)
    kept = refused.record(store, path, exc, actor, data_dir_of(store) / "refused")
    return ImportResult(path.name, "refused", reason=exc.key, params=exc.params, kept_at=kept)


def _check_common(store: Store, manifest: Manifest, name: str) -> None:
    schema = manifest.get("schema")
    if not isinstance(schema, str) or schema not in {m.name for m in migrations._migrations}:
        raise BundleRefused("schema_future", file=name, schema=str(schema)[:40])
    try:
        created = parse_iso(str(manifest["created_at"]))
    except ValueError as exc:
        raise BundleRefused("manifest", file=name, detail="created_at") from exc
    now = store.clock.now()
    if created < EARLIEST or created > now + SKEW_LIMIT:
        raise BundleRefused("clock", file=name, at=iso(created))


def _import_sync(store: Store, path: Path, actor: str) -> ImportResult:
    db = store.db
    me = keys_of(store)
    known = [
        PublicKeys(d["id"], d["sign_public_key"], d["box_public_key"])
        for d in sync_store.devices(db)
        if d["id"] != me.device_id
    ]
    with BundleReader(path) as reader:
        signer, manifest = reader.verify(known)
        try:
            return _import_verified(store, path, reader, signer, manifest, me, actor)
        except BundleRefused as exc:
            exc.sender = signer.device_id  # signed by an enrolled laptop: an alarm
            raise
        except Exception as exc:
            if not isinstance(exc, database_errors()):
                raise
            # The schema should have stopped it; a rule of the database did instead.
            refusal = BundleRefused("constraint", file=path.name, detail=str(exc)[:200])
            refusal.sender = signer.device_id
            raise refusal from exc


def _import_verified(
    store: Store,
    path: Path,
    reader: BundleReader,
    signer: PublicKeys,
    manifest: Manifest,
    me: DeviceKeys,
    actor: str,
) -> ImportResult:
    db = store.db
    if manifest.kind != "sync":
        raise BundleRefused("wrong_kind", file=path.name, kind=manifest.kind)
    device = sync_store.device(db, signer.device_id)
    assert device is not None
    if device["status"] == "revoked":
        raise BundleRefused("revoked", file=path.name, device=device["name"])
    if me.device_id not in manifest["recipients"]:
        raise BundleRefused("not_for_us", file=path.name)
    _check_common(store, manifest, path.name)
    seq_from, seq_to = manifest.get("seq_from"), manifest.get("seq_to")
    if not (isinstance(seq_from, int) and isinstance(seq_to, int) and 1 <= seq_from <= seq_to):
        raise BundleRefused("manifest", file=path.name, detail="seq")
    if sync_store.was_imported(db, manifest["bundle_id"]):
        return ImportResult(path.name, "already")
    peer = sync_store.peer(db, signer.device_id)
    if seq_from > peer["applied_seq"] + 1:
        return _hold(store, path, manifest, signer.device_id, peer)
    # A new file whose changes were all merged from other files is still read: a
    # cloned laptop reuses sequence numbers with different content.
    applied = _apply_sync(store, reader, manifest, signer.device_id, me, path.name, actor)
    result = ImportResult(path.name, "applied" if applied else "already", applied=applied)
    _release_held(store, signer.device_id, actor)
    return result


def _hold(
    store: Store, path: Path, manifest: Manifest, device_id: str, peer: dict[str, Any]
) -> ImportResult:
    folder = data_dir_of(store) / "held"
    private_dir(folder)
    target = folder / f"{manifest['bundle_id']}.gsb"
    if path.resolve() != target.resolve():
        copy_atomic(path, target)
    with store.replaying() as db:
        sync_store.hold(
            db,
            manifest["bundle_id"],
            device_id,
            manifest["seq_from"],
            manifest["seq_to"],
            str(target),
            iso(store.clock.now()),
        )
        peer["highest_seq"] = max(peer["highest_seq"], manifest["seq_to"])
        sync_store.save_peer(db, peer)
    return ImportResult(
        path.name, "held", reason="waiting", params={"seq": peer["applied_seq"] + 1}
    )


def _release_held(store: Store, device_id: str, actor: str = SYSTEM_ACTOR) -> None:
    """Apply held bundles that the sequence now reaches."""
    progress = True
    while progress:
        progress = False
        applied_seq = sync_store.peer(store.db, device_id)["applied_seq"]
        for held in sync_store.held(store.db, device_id):
            if held["seq_from"] <= applied_seq + 1:
                result = import_file(store, Path(held["path"]), actor)
                with store.replaying() as db:
                    sync_store.release(db, held["bundle_id"])
                if result.status == "applied":
                    Path(held["path"]).unlink(missing_ok=True)
                progress = True
                break


def force_held(store: Store, device_id: str) -> list[ImportResult]:
    """Staff decided the missing bundle will never come: apply what is held anyway."""
    results = []
    with store.replaying() as db:
        held = sync_store.held(db, device_id)
        if held:
            peer = sync_store.peer(db, device_id)
            peer["applied_seq"] = held[0]["seq_from"] - 1
            sync_store.save_peer(db, peer)
    for row in held:
        results.append(import_file(store, Path(row["path"])))
        with store.replaying() as db:
            sync_store.release(db, row["bundle_id"])
    return results


def _apply_sync(
    store: Store,
    reader: BundleReader,
    manifest: Manifest,
    device_id: str,
    me: DeviceKeys,
    name: str,
    actor: str,
) -> int:
    now = store.clock.now()
    received = iso(now)
    applied = 0
    with store.replaying(defer_foreign_keys=True) as db:
        peer = sync_store.peer(db, device_id)
        expected = peer["applied_seq"] + 1
        skew = peer["clock_skew_ms"]
        batch: list[ChangeEntry] = []
        now_ms = epoch_ms(now)
        window = wire.Window(now)
        team = sync_store.device(db, device_id)
        last = sync_store.logged_entry(db, device_id, peer["applied_seq"])
        authority = Authority(
            db, device_id, team["team_id"] if team else None, last.hlc if last else ""
        )
        for index, line in enumerate(reader.lines(manifest, me), start=1):
            entry, wall = _entry(line, window, name, index)
            if entry.device_id != device_id:
                raise BundleRefused("foreign_entry", file=name)
            if not manifest["seq_from"] <= entry.seq <= manifest["seq_to"]:
                raise BundleRefused("payload", file=name, detail="seq range")
            if entry.seq < expected:
                logged = sync_store.logged_entry(db, device_id, entry.seq)
                # Personal values may be purged on either side since (docs/privacy.md).
                if logged is not None and comparable(logged) != comparable(entry):
                    # Same laptop, same seq, different change: a cloned or restored disk.
                    raise BundleRefused("cloned", file=name, seq=entry.seq)
                continue
            if entry.seq != expected:
                raise BundleRefused("payload", file=name, detail="gap inside bundle")
            try:
                authority.check(entry)
            except Denied as exc:
                raise _denied(exc, entry, name) from exc
            offset = wall - now_ms
            if abs(offset) > SKEW_LIMIT.total_seconds() * 1000:
                skew = max(skew, abs(offset), key=abs)  # flagged for the dashboard
            batch.append(entry)
            if len(batch) >= BATCH:
                _flush(db, batch, received, authority, name)
            expected += 1
            applied += 1
        _flush(db, batch, received, authority, name)
        if expected - 1 < manifest["seq_to"]:
            raise BundleRefused("payload", file=name, detail="missing entries")
        peer.update(
            applied_seq=expected - 1,
            highest_seq=max(peer["highest_seq"], expected - 1),
            last_bundle_id=manifest["bundle_id"],
            last_bundle_at=received,
            clock_skew_ms=skew,
        )
        sync_store.save_peer(db, peer)
        sync_store.mark_imported(db, manifest["bundle_id"], device_id, "sync", applied, received)
        _audit(db, received, actor, manifest, device_id, applied)
    return applied


def _audit(db: Any, at: str, actor: str, manifest: Manifest, sender: str, applied: int) -> None:
    """In the import's own transaction: the bundle and its audit line land together."""
    audit.append(
        db,
        at,
        actor,
        BUNDLE_IMPORTED,
        str(manifest["bundle_id"]),
        kind=manifest.kind,
        sender=sender,
        applied=applied,
    )


def _flush(
    db: Any, batch: list[ChangeEntry], received: str, authority: Authority, name: str
) -> None:
    """Merge and log a run of consecutive entries (bulk where the rules allow), once
    the authority's batch-wide checks passed."""
    try:
        authority.before_flush()
    except Denied as exc:
        assert exc.entry is not None
        raise _denied(exc, exc.entry, name) from exc
    entries = purge.redact_late(db, batch)
    merge.apply_batch(db, entries, received)
    changelog.record_entries(db, entries)
    batch.clear()
    authority.flushed()


def _denied(exc: Denied, entry: ChangeEntry, name: str) -> BundleRefused:
    return BundleRefused(
        f"authority.{exc.rule}",
        file=name,
        seq=entry.seq,
        entity=entry.entity,
        record=entry.record_id,
        field=exc.field,
    )


def _entry(line: bytes, window: wire.Window, name: str, index: int) -> tuple[ChangeEntry, int]:
    """A payload line as a typed, validated change entry (sync/wire.py); returns the
    entry and its HLC wall time. A signed bundle can still come from a laptop with a
    bug, or from a stolen key."""
    try:
        entry = wire.decode_change(line, window)
    except wire.Refused as exc:
        raise BundleRefused(
            "entry", file=name, line=index, entity=exc.entity, field=exc.field, detail=exc.detail
        ) from exc
    return entry, Hlc.decode(entry.hlc).wall_ms
