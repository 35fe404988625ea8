"""After an erasure, the backups that could hold erased personal data are replaced by
one fresh, signed backup that passes the restore checks; a full disk costs the fresh
copy, never the erasure."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridapp.clock import FixedClock
from gridapp.services.backup import known_schemas
from gridapp.storage import backup, backup_scrub
from gridapp.storage.schema import schema_version
from tests.conftest import make_services


def test_every_old_backup_is_replaced_by_a_fresh_one(tmp_path: Path, clock: FixedClock) -> None:
    services = make_services(tmp_path / "lap" / "gridapp.db", clock, role="field")
    try:
        for _ in range(3):
            services.backup.now()
        folder = tmp_path / "lap" / "backups"
        (folder / "gridapp-daily-20200101-000000.db.part").write_bytes(b"half a copy")
        old = {Path(b.path).name for b in backup.listing(folder)}
        assert len(old) == 3
        db = services.store.db
        result = backup_scrub.scrub(db, folder, clock.now(), schema_version(db))
        left = backup.listing(folder)
        assert result.removed == 3 and [Path(b.path).name for b in left] == [result.fresh]
        assert result.fresh not in old and not list(folder.glob("*.part"))
        assert len(list(folder.glob("*" + backup.MANIFEST_SUFFIX))) == 1
        identity = services.backup.expected_identity()
        assert backup.check(Path(left[0].path), identity, known_schemas())["kind"] == "daily"
    finally:
        services.store.close()


def test_a_full_disk_costs_the_fresh_copy_not_the_erasure(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = make_services(tmp_path / "lap" / "gridapp.db", clock, role="field")
    try:
        services.backup.now()
        folder = tmp_path / "lap" / "backups"

        def full(*_args: object, **_kwargs: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(backup, "make", full)
        db = services.store.db
        result = backup_scrub.scrub(db, folder, clock.now(), schema_version(db))
        assert (result.removed, result.fresh) == (1, "")
        assert backup.listing(folder) == []
    finally:
        services.store.close()
