"""Writing bundles: a laptop's changes for the office, a team's roster from the office."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gridapp.clock import iso
from gridapp.errors import InvalidInput
from gridapp.privacy import filter_roster
from gridapp.storage import changelog, purge, sync_store
from gridapp.storage.changelog import ChangeEntry
from gridapp.storage.schema import schema_version
from gridapp.storage.store import Store
from gridapp.sync.container import write_bundle
from gridapp.sync.crypto import DeviceKeys, PublicKeys

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ExportResult:
    path: str
    seq_from: int
    seq_to: int
    changes: int


def keys_of(store: Store) -> DeviceKeys:
    return DeviceKeys.of(store.require_device())


def data_dir_of(store: Store) -> Path:
    return store.path.parent if store.path is not None else Path.cwd()


# -- field → office -----------------------------------------------------------------


def export_changes(store: Store, out: Path, progress: Progress | None = None) -> ExportResult:
    """Every change of this laptop the office has not acknowledged."""
    device = store.require_device()
    if device.role != "field":
        raise InvalidInput("error.sync.field_only")
    anchor = sync_store.office_anchor(store.db)
    if anchor is None:
        raise InvalidInput("error.sync.not_enrolled")
    acked = int(anchor["acked_seq"])
    last = changelog.last_seq(store.db, device.device_id)
    if last <= acked:
        raise InvalidInput("error.sync.nothing_to_send", seq=acked)
    now = store.clock.now()
    office = PublicKeys(anchor["device_id"], anchor["sign_public_key"], anchor["box_public_key"])

    def entries() -> Iterator[dict[str, Any]]:
        for n, row in enumerate(sync_store.own_entries_after(store.db, device.device_id, acked)):
            if progress and n % 500 == 0:
                progress(n)
            entry = ChangeEntry.from_row(row)
            yield {"t": "change", **entry.__dict__}

    manifest = {
        "kind": "sync",
        "bundle_id": store.new_id(now),
        "created_at": iso(now),
        "schema": schema_version(store.db),
        "seq_from": acked + 1,
        "seq_to": last,
    }
    write_bundle(out, manifest, entries(), keys_of(store), [office])
    return ExportResult(str(out), acked + 1, last, last - acked)


# -- office → field -----------------------------------------------------------------


def write_roster(store: Store, team_number: int, out: Path) -> dict[str, Any]:
    """The team's households and residents, the campaign content, resolved conflicts,
    and what the office has of each of the team's laptops."""
    device = store.require_device()
    if device.role != "office":
        raise InvalidInput("error.sync.office_only")
    db = store.db
    team_id = sync_store.team_id_by_number(db, team_number)
    if team_id is None:
        raise InvalidInput("error.sync.unknown_team", team=team_number)
    laptops = [
        d
        for d in sync_store.devices(db)
        if d["role"] == "field" and d["team_id"] == team_id and d["status"] == "active"
    ]
    if not laptops:
        raise InvalidInput("error.sync.no_laptops", team=team_number)
    keys = keys_of(store)
    now = store.clock.now()
    closed = purge.closed_campaign_ids(db)

    def payload() -> Iterator[dict[str, Any]]:
        for laptop in laptops:
            peer = sync_store.peer(db, laptop["id"])
            yield {"t": "ack", "device": laptop["id"], "seq": peer["applied_seq"]}
        # Closed campaigns: the team's laptops purge these households first, and the
        # rows below come without their personal data (docs/privacy.md).
        orders = [(c, purge.campaign_households(db, c, team_id)) for c in closed]
        for campaign_id, households in orders:
            if households:
                yield {"t": "purge", "campaign": campaign_id, "households": households}
        purged = {h for _, households in orders for h in households}
        # What the team holds now: the laptop lets go of anything else (format 2).
        yield {"t": "holds", **sync_store.holdings(db, team_id)}
        yield {"t": "row", "table": "device", "row": sync_store.device(db, keys.device_id)}
        for laptop in laptops:
            yield {"t": "row", "table": "device", "row": laptop}
        for table, row in filter_roster(sync_store.roster_rows(db, team_id), purged):
            yield {"t": "row", "table": table, "row": row}

    office = keys.public
    manifest = {
        "kind": "roster",
        "format_version": 2,
        "bundle_id": store.new_id(now),
        "created_at": iso(now),
        "schema": schema_version(db),
        "team": team_number,
        "office": {
            "device_id": office.device_id,
            "name": device.name,
            "sign_public_key": office.sign_public_key,
            "box_public_key": office.box_public_key,
        },
    }
    recipients = [PublicKeys(d["id"], d["sign_public_key"], d["box_public_key"]) for d in laptops]
    return write_bundle(out, manifest, payload(), keys, recipients)


# -- import -------------------------------------------------------------------------
