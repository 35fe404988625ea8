"""Backups: made on a schedule and before risky steps, signed, rotated; a restore checks
everything first and refuses a tampered, truncated, foreign or newer copy unchanged."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from gridapp import audit_actions as A
from gridapp.clock import FixedClock
from gridapp.errors import GridappError
from gridapp.services import Services
from gridapp.services.backup import known_schemas, newest_good, pending_restore, restore_closed
from gridapp.storage import backup as storage_backup
from gridapp.storage.backup import BackupRefused
from gridapp.storage.database import open_database
from gridapp.storage.schema import schema_version
from gridapp.storage.store import Store
from tests.conftest import make_services


@pytest.fixture
def disk(tmp_path: Path, clock: FixedClock) -> Services:
    services = make_services(tmp_path / "data" / "gridapp.db", clock)
    services.households.add_compound("建业新村")
    return services


def _compounds(services: Services) -> int:
    return int(services.store.db.execute("SELECT count(*) FROM compound").fetchone()[0])


def test_a_backup_is_signed_listed_and_restorable(disk: Services, clock: FixedClock) -> None:
    info = disk.backup.now()
    path = Path(info.path)
    assert path.name.startswith(f"gridapp-manual-{clock.now():%Y%m%d-%H%M}")
    manifest = json.loads(path.with_name(path.name + ".manifest.json").read_text())
    assert manifest["device_id"] == disk.store.require_device().device_id
    assert manifest["sha256"] == storage_backup.sha256_of(path)
    assert manifest["schema"] and manifest["signature"]
    assert [b.path for b in disk.backup.list()] == [info.path]
    clock.advance(minutes=5)
    disk.households.add_compound("南码头小区")
    assert _compounds(disk) == 2
    aside = disk.backup.restore(path)
    assert _compounds(disk) == 1  # the store is open on the restored copy
    assert aside.exists() and aside.name.startswith("gridapp-replaced-")
    assert disk.store.integrity_ok()
    assert next(e.action for e in disk.audit.entries()) == A.BACKUP_RESTORED
    kept = Store.open(aside)
    assert kept.db.execute("SELECT count(*) FROM compound").fetchone()[0] == 2
    kept.close()


def _refused(disk: Services, path: Path, reason: str) -> None:
    before = _compounds(disk)
    with pytest.raises(BackupRefused) as caught:
        disk.backup.restore(path)
    assert caught.value.reason == reason
    assert _compounds(disk) == before  # nothing changed
    assert disk.store.integrity_ok()
    assert not list(disk.store.path.parent.glob("gridapp-replaced-*"))  # type: ignore[union-attr]


def _copy(info_path: str, to: Path) -> Path:
    src = Path(info_path)
    shutil.copyfile(src, to)
    shutil.copyfile(
        src.with_name(src.name + ".manifest.json"), to.with_name(to.name + ".manifest.json")
    )
    return to


def test_tampered_truncated_or_unsigned_backups_are_refused(disk: Services, tmp_path: Path) -> None:
    info = disk.backup.now()
    disk.households.add_compound("南码头小区")
    flipped = _copy(info.path, tmp_path / "flipped.db")
    data = bytearray(flipped.read_bytes())
    data[5000] ^= 0xFF
    flipped.write_bytes(bytes(data))
    _refused(disk, flipped, "altered")

    truncated = _copy(info.path, tmp_path / "truncated.db")
    truncated.write_bytes(truncated.read_bytes()[:8192])
    _refused(disk, truncated, "altered")

    # The manifest edited to match the changed file: the signature no longer holds.
    forged = _copy(info.path, tmp_path / "forged.db")
    forged.write_bytes(bytes(data))
    sidecar = forged.with_name(forged.name + ".manifest.json")
    manifest = json.loads(sidecar.read_text())
    manifest["sha256"] = storage_backup.sha256_of(forged)
    sidecar.write_text(json.dumps(manifest))
    _refused(disk, forged, "signature")

    bare = tmp_path / "bare.db"
    shutil.copyfile(info.path, bare)
    _refused(disk, bare, "no_manifest")


def test_a_backup_from_another_laptop_is_refused(
    disk: Services, tmp_path: Path, clock: FixedClock
) -> None:
    other = make_services(tmp_path / "other" / "gridapp.db", clock)
    info = other.backup.now()
    _refused(disk, Path(info.path), "foreign")


def test_a_backup_from_a_newer_app_is_refused(disk: Services, tmp_path: Path) -> None:
    info = disk.backup.now()
    copy = _copy(info.path, tmp_path / "newer.db")
    # Re-sign honestly (same laptop) a manifest that names a schema this app lacks.
    sidecar = copy.with_name(copy.name + ".manifest.json")
    manifest = json.loads(sidecar.read_text())
    manifest.pop("signature")
    manifest["schema"] = "m999_future"
    secret = disk.store.require_device().sign_secret
    signature = storage_backup._signing_key(secret).sign(storage_backup._canonical(manifest))
    import base64

    manifest["signature"] = base64.b64encode(signature.signature).decode()
    sidecar.write_text(json.dumps(manifest))
    _refused(disk, copy, "newer")


def test_rotation_keeps_the_newest_of_each_kind(disk: Services, clock: FixedClock) -> None:
    for _ in range(storage_backup.KEEP["pre-import"] + 3):
        disk.backup.before_import()
        clock.advance(minutes=1)
    disk.backup.now()
    kinds = [b.kind for b in disk.backup.list()]
    assert kinds.count("pre-import") == storage_backup.KEEP["pre-import"]
    assert kinds.count("manual") == 1
    folder = disk.backup.folder
    assert folder is not None
    manifests = list(folder.glob("*.manifest.json"))
    assert len(manifests) == len(kinds)


def test_what_a_killed_backup_left_is_stepped_over_then_cleared(
    disk: Services, clock: FixedClock
) -> None:
    """Found by the crash soak: a backup killed midway leaves `NAME.part` (and its -wal
    and -shm); the next backup in the same second must not copy into it."""
    folder = disk.backup.folder
    assert folder is not None
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    stale = folder / f"gridapp-pre-import-{stamp}.db.part"
    stale.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)  # half a header, garbage
    (folder / (stale.name + "-wal")).write_bytes(b"\x00" * 100)
    made = disk.backup.before_import()
    assert made is not None and Path(made.path).name != stale.name[: -len(".part")]
    assert storage_backup.check(Path(made.path), disk.backup.expected_identity(), known_schemas())
    old = stale.stat().st_mtime - storage_backup.STALE_PART_S - 1
    for leftover in folder.glob("*.part*"):
        os.utime(leftover, (old, old))
    storage_backup.rotate(folder, "pre-import")
    assert list(folder.glob("*.part*")) == []
    assert [b.kind for b in disk.backup.list()] == ["pre-import"]


def test_daily_backup_once_a_day(disk: Services, clock: FixedClock) -> None:
    assert disk.backup.ensure_daily() is not None
    clock.advance(hours=23)
    assert disk.backup.ensure_daily() is None
    clock.advance(hours=2)
    assert disk.backup.ensure_daily() is not None
    assert [b.kind for b in disk.backup.list()] == ["daily", "daily"]


def test_in_memory_databases_are_not_backed_up(services: Services) -> None:
    assert services.backup.ensure_daily() is None
    assert services.backup.before_import() is None
    with pytest.raises(GridappError):
        services.backup.now()


def test_a_backup_before_a_schema_migration(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "data" / "gridapp.db"
    services = make_services(path, clock)
    db = services.store.db
    # Un-apply the newest migration (an index only), as an older app would have left it.
    db.execute("DROP INDEX visit_mode_household_campaign")
    db.execute("CREATE INDEX visit_mode_household ON visit(mode, household_id, started_at, id)")
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm014_campaign_visit_index'")
    db.conn.commit()
    before = schema_version(db)
    services.store.close()
    store = Store.open(path, clock)
    [made] = storage_backup.listing(path.parent / "backups")
    assert made.kind == "pre-migration" and made.schema == before
    assert store.db.execute("SELECT action FROM _audit").fetchall() == [("backup_made",)]
    assert "m014_campaign_visit_index" not in _migrations_in(Path(made.path))
    store.close()


def _migrations_in(path: Path) -> set[str]:
    copy = open_database(path)
    try:
        return {row[0] for row in copy.execute("SELECT name FROM _sqlite_migrations")}
    finally:
        copy.close()


def test_restore_without_an_open_database_and_the_newest_good_copy(
    disk: Services, tmp_path: Path, clock: FixedClock
) -> None:
    first = disk.backup.now()
    clock.advance(minutes=1)
    second = disk.backup.now()
    # the newest is damaged: the one before it is offered
    data = bytearray(Path(second.path).read_bytes())
    data[-100] ^= 0xFF
    Path(second.path).write_bytes(bytes(data))
    live = disk.store.path
    assert live is not None
    disk.store.close()
    live.write_bytes(b"this is not a database at all" * 100)  # the live file is wrecked
    data_dir = live.parent
    assert newest_good(data_dir) == Path(first.path)
    aside = restore_closed(data_dir, Path(first.path), "OFFICE", clock)
    assert aside.read_bytes().startswith(b"this is not")
    store = Store.open(live, clock)
    assert store.integrity_ok()
    assert store.db.execute("SELECT count(*) FROM compound").fetchone()[0] == 1
    store.close()
    assert pending_restore(data_dir) is None


def test_an_encrypted_database_backs_up_encrypted_and_restores_with_its_key(
    tmp_path: Path, clock: FixedClock
) -> None:
    import secrets

    key = secrets.token_bytes(32)
    live = tmp_path / "data" / "gridapp.db"
    services = Services(Store.open(live, clock, key))
    services.device.initialise("office", "test office")
    services.act_as("A0001", "admin")  # an encrypted database acts only as someone
    services.households.add_compound("建业新村")
    made = services.backup.now()  # the key comes from the store
    services.store.close()
    assert "建业新村".encode() not in Path(made.path).read_bytes()
    live.write_bytes(b"wrecked" * 100)
    assert newest_good(live.parent, key) == Path(made.path)
    restore_closed(live.parent, Path(made.path), "OFFICE", clock, key=key)
    store = Store.open(live, clock, key)
    assert store.db.execute("SELECT name FROM compound").fetchall() == [("建业新村",)]
    assert [a for (a,) in store.db.execute("SELECT action FROM _audit")][-1] == "backup_restored"
    store.close()
