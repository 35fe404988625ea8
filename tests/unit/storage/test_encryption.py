"""The encrypted database: nothing readable on disk, a wrong key refused clearly, and a
plain database turned into an encrypted one with every row and nothing plain left."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path
from typing import Any

import pytest

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.errors import AccessDenied, InvalidInput, UnreadableFile
from gridapp.services import Services
from gridapp.storage.database import is_plain, open_database
from gridapp.storage.encryption import encrypt_in_place, finish_interrupted
from gridapp.storage.store import Store


def _demo(path: Path, clock: FixedClock, key: bytes | None) -> Services:
    services = Services(Store.open(path, clock, key))
    services.device.initialise("office", "test office")
    build_demo(services, DemoOptions(households=60, seed=3))
    return services


def _a_resident(services: Services) -> tuple[str, str]:
    row = services.store.db.execute(
        "SELECT r.name, p.number FROM resident r JOIN phone p ON p.resident_id = r.id LIMIT 1"
    ).fetchone()
    return str(row[0]), str(row[1])


def _everything(db: Any) -> dict[str, list[str]]:
    names = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    return {
        n: sorted(repr(r) for r in db.execute(f'SELECT * FROM "{n}"').fetchall()) for n in names
    }


def _holds(path: Path, *needles: bytes) -> bool:
    data = path.read_bytes()
    return any(needle in data for needle in needles)


def test_the_file_its_wal_and_a_copy_hold_no_name_or_phone(
    tmp_path: Path, clock: FixedClock
) -> None:
    key = secrets.token_bytes(32)
    path = tmp_path / "gridapp.db"
    services = _demo(path, clock, key)
    name, phone = _a_resident(services)
    needles = (name.encode("utf-8"), phone.encode("ascii"), "建业新村".encode())
    wal = Path(f"{path}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # still open: the WAL holds pages
    copy = tmp_path / "stolen.db"
    shutil.copy(path, copy)
    for file in (path, wal, copy):
        assert not _holds(file, *needles), file
    assert not is_plain(path)
    services.store.close()
    assert not _holds(path, *needles)


def test_a_wrong_key_is_refused_with_a_clear_error(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "gridapp.db"
    Store.open(path, clock, secrets.token_bytes(32)).close()
    with pytest.raises(AccessDenied) as info:
        open_database(path, secrets.token_bytes(32))
    assert info.value.key == "error.db.wrong_key"
    with pytest.raises(UnreadableFile):  # without any key: not a database we can read
        open_database(path)


def test_a_plain_file_is_refused_when_a_key_is_given(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "gridapp.db"
    Store.open(path, clock).close()
    with pytest.raises(AccessDenied) as info:
        Store.open(path, clock, secrets.token_bytes(32))
    assert info.value.key == "error.db.plain_with_key"
    assert is_plain(path)  # and untouched


def test_plain_to_encrypted_keeps_every_row_and_leaves_nothing_plain(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "gridapp.db"
    services = _demo(path, clock, None)
    name, phone = _a_resident(services)
    before = _everything(services.store.db)
    services.store.close()
    assert _holds(path, name.encode("utf-8"))

    key = secrets.token_bytes(32)
    counts = encrypt_in_place(path, key)

    assert counts["household"] == 60
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gridapp.db"]
    assert not _holds(path, name.encode("utf-8"), phone.encode("ascii"))
    reopened = Services(Store.open(path, clock, key))
    assert _everything(reopened.store.db) == before
    assert reopened.store.integrity_ok()
    reopened.act_as("A0001", "admin")  # an encrypted database is read by someone
    assert reopened.search.find(name[:2], limit=5)  # the search index came along
    reopened.store.close()
    with pytest.raises(InvalidInput):
        encrypt_in_place(path, key)  # already encrypted


# undoing the interrupted swap is logged as a warning: that is the case tested
@pytest.mark.expected_log(r"^encryption of .* was interrupted; the plain file is back$")
def test_an_interrupted_swap_is_finished_or_undone(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "gridapp.db"
    Store.open(path, clock).close()
    set_aside = tmp_path / "gridapp.db.plain"
    path.rename(set_aside)  # crash after setting the plain file aside, before the swap
    finish_interrupted(path)
    assert is_plain(path) and not set_aside.exists()

    shutil.copy(path, set_aside)  # crash after the swap, before the wipe
    path.unlink()
    Store.open(path, clock, secrets.token_bytes(32)).close()
    finish_interrupted(path)
    assert not set_aside.exists() and not is_plain(path)


def test_setting_up_accounts_leaves_no_plain_backup_beside_the_encrypted_file(
    tmp_path: Path, clock: FixedClock
) -> None:
    from gridapp.services.session import SessionService
    from gridapp.trust.crypto import FAST

    data = tmp_path / "data"
    services = _demo(data / "gridapp.db", clock, None)
    name, phone = _a_resident(services)
    made = services.backup.now()  # a daily backup taken while still plain
    services.store.close()
    assert _holds(Path(made.path), name.encode("utf-8"))

    SessionService(data, clock, FAST).set_up("A0001", "admin", "246813")

    for path in data.rglob("*"):
        if path.is_file():
            assert not _holds(path, name.encode("utf-8"), phone.encode("ascii")), path
    assert not Path(made.path).exists()
