"""A roster bundle on a laptop: acknowledgements, purge orders, what the team holds
now, then the rows; all in one transaction (docs/sync-bundles.md). After the commit,
when personal data left the laptop, the file is compacted and the backups that could
still hold it are replaced by a clean one (storage/backup_scrub.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from gridapp.audit_actions import BACKUPS_SCRUBBED, ROSTER_ERASED
from gridapp.clock import Hlc, epoch_ms, iso
from gridapp.storage import audit, backup_scrub, holdings, purge, sync_store
from gridapp.storage.holdings import Erased
from gridapp.storage.schema import schema_version
from gridapp.storage.store import Store
from gridapp.sync import wire
from gridapp.sync.container import BundleReader, BundleRefused, Manifest
from gridapp.sync.crypto import DeviceKeys, PublicKeys
from gridapp.sync.export import data_dir_of, keys_of
from gridapp.sync.importer import ImportResult, _audit, _check_common

BACKUPS_DIR = "backups"


def import_roster(store: Store, path: Path, actor: str) -> ImportResult:
    me = keys_of(store)
    db = store.db
    anchor = sync_store.office_anchor(db)
    with BundleReader(path) as reader:
        if anchor is None:
            office = reader.unverified_manifest().get("office")
            if not isinstance(office, dict) or not all(
                isinstance(office.get(k), str)
                for k in ("device_id", "sign_public_key", "box_public_key", "name")
            ):
                raise BundleRefused("manifest", file=path.name, detail="office")
            trusted = PublicKeys(
                office["device_id"], office["sign_public_key"], office["box_public_key"]
            )
        else:
            trusted = PublicKeys(
                anchor["device_id"], anchor["sign_public_key"], anchor["box_public_key"]
            )
        signer, manifest = reader.verify([trusted])
        if manifest.kind != "roster":
            raise BundleRefused("wrong_kind", file=path.name, kind=manifest.kind)
        if me.device_id not in manifest["recipients"]:
            raise BundleRefused("not_for_us", file=path.name)
        _check_common(store, manifest, path.name)
        if sync_store.was_imported(db, manifest["bundle_id"]):
            return ImportResult(path.name, "already")
        applied, erased = _apply_roster(
            store, reader, manifest, me, path.name, anchor is None, signer, actor
        )
    if erased:
        purge.compact(store.db)
        _scrub_backups(store, actor)
    return ImportResult(path.name, "applied", applied=applied)


def _apply_roster(
    store: Store,
    reader: BundleReader,
    manifest: Manifest,
    me: DeviceKeys,
    name: str,
    first: bool,
    office: PublicKeys,
    actor: str,
) -> tuple[int, bool]:
    """Rows applied, and whether personal data left the laptop."""
    received = iso(store.clock.now())
    applied = 0
    with store.replaying(defer_foreign_keys=True) as db:
        if first:
            sync_store.set_office_anchor(
                db,
                office.device_id,
                manifest["office"]["name"][:80],
                office.sign_public_key,
                office.box_public_key,
            )
        anchor = sync_store.office_anchor(db)
        assert anchor is not None
        acked: int | None = None
        keep: set[tuple[str, str, str]] | None = None
        # Purge orders (closed campaigns) come before the rows (docs/privacy.md).
        purged = False
        erased = Erased()
        # What a format 2 roster carries: residents and phones no longer in it moved out.
        held: tuple[list[str], set[str]] | None = None
        got_residents: set[str] = set()
        got_phones: set[str] = set()
        stamp = Hlc(epoch_ms(store.clock.now())).encode()
        office_name = str(manifest["office"]["name"])[:80]
        window = wire.Window(store.clock.now())
        for index, line in enumerate(reader.lines(manifest, me), start=1):
            record = _roster_record(line, window, name, index)
            if isinstance(record, wire.WireAck):
                if record.device == me.device_id:
                    acked = record.seq
            elif isinstance(record, wire.WirePurge):
                order = (record.campaign, list(record.households))
                purged |= purge.apply_orders(db, [order], stamp, received, office_name)
            elif isinstance(record, wire.WireHolds):
                # Acks come first: work the office now has is no longer unsent.
                confirmed = max(anchor["acked_seq"], acked or 0)
                unsent = holdings.unsent_households(db, me.device_id, confirmed)
                erased = holdings.let_go(
                    db, record.households, record.assignments, record.workers, unsent
                )
                held = (list(record.households), unsent)
            else:
                if keep is None:
                    # Fields this laptop changed that the office has not confirmed (acks
                    # come first in the payload) stay as they are: a roster never
                    # overwrites unsent local work.
                    confirmed = max(anchor["acked_seq"], acked or 0)
                    keep = sync_store.unsent_fields(db, me.device_id, confirmed)
                table, row = record
                if table not in _ROSTER_TABLES:
                    raise BundleRefused(
                        "entry", file=name, line=index, entity=table, field="table", detail="entity"
                    )
                if table == "resident":
                    got_residents.add(str(row["id"]))
                elif table == "phone":
                    got_phones.add(str(row["id"]))
                applied += sync_store.upsert_rows(db, table, [row], keep)
        if held is not None:
            moved_out = holdings.let_residents_go(db, held[0], got_residents, got_phones, held[1])
            erased = replace(
                erased,
                residents=erased.residents + moved_out[0],
                phones=erased.phones + moved_out[1],
            )
            if erased.changed or erased.kept:
                audit.append(
                    db,
                    received,
                    office_name,
                    ROSTER_ERASED,
                    str(manifest["bundle_id"]),
                    households=erased.households,
                    residents=erased.residents,
                    phones=erased.phones,
                    workers=erased.workers,
                    kept=erased.kept,
                )
        if acked is not None:
            sync_store.set_acked(db, acked, received)
        sync_store.mark_imported(
            db, manifest["bundle_id"], office.device_id, "roster", applied, received
        )
        _audit(db, received, actor, manifest, office.device_id, applied)
    return applied, purged or erased.personal


def _scrub_backups(store: Store, actor: str) -> None:
    """The erasure has committed: no backup made before it may keep what it erased."""
    if store.path is None:
        return
    folder = data_dir_of(store) / BACKUPS_DIR
    now = store.clock.now()
    result = backup_scrub.scrub(store.db, folder, now, schema_version(store.db), store.key)
    if result.removed:
        with store.replaying() as db:
            audit.append(
                db, iso(now), actor, BACKUPS_SCRUBBED, result.fresh, removed=result.removed
            )


_ROSTER_TABLES = frozenset((*sync_store.ROSTER_ORDER, "device"))


def _roster_record(
    line: bytes, window: wire.Window, name: str, index: int
) -> wire.WireAck | wire.WirePurge | wire.WireHolds | tuple[str, dict[str, Any]]:
    try:
        return wire.decode_roster_record(line, window)
    except wire.Refused as exc:
        raise BundleRefused(
            "entry", file=name, line=index, entity=exc.entity, field=exc.field, detail=exc.detail
        ) from exc
