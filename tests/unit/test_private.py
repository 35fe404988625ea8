"""gridapp.private: folders 0700 and files 0600 whatever the umask; the log file waits
for its data folder; settings are private."""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from gridapp import files, private
from gridapp.logs import setup_logging
from gridapp.settings import Settings, UiState, save_settings, save_ui_state

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")

UMASKS = (0o000, 0o022, 0o027, 0o077, 0o277)


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.mark.parametrize("mask", UMASKS)
def test_made_private_whatever_the_umask(tmp_path: Path, mask: int) -> None:
    with umask(mask):
        folder = private.private_dir(tmp_path / "a" / "b" / "data")
        made = folder / "x.db"
        assert private.create_private(made) and not private.create_private(made)
        files.write_atomic(folder / "settings.json", b"{}")
        files.copy_atomic(folder / "settings.json", folder / "copy.json")
        os.close(private.open_private(folder / "log"))
    for path in (tmp_path / "a", tmp_path / "a" / "b", folder):
        assert mode(path) == 0o700, path
    for name in ("x.db", "settings.json", "copy.json", "log"):
        assert mode(folder / name) == 0o600, name
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    private.private_dir(shared)
    assert mode(shared) == 0o755
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(FileExistsError):
        private.private_dir(tmp_path / "file")


def test_a_file_opened_again_is_narrowed(tmp_path: Path) -> None:
    path = tmp_path / "old.part"
    path.write_bytes(b"old")
    path.chmod(0o644)
    os.close(private.open_private(path))
    assert mode(path) == 0o600 and path.read_bytes() == b""


def test_tighten_the_data_folder_not_the_folder_itself(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "backups").mkdir(parents=True)
    (data / "elsewhere").mkdir()
    for path in (data / "gridapp.db", data / "backups" / "b.db", data / "elsewhere" / "f"):
        path.write_bytes(b"x")
        path.chmod(0o644)
    (data / "link").symlink_to(tmp_path / "outside")
    (tmp_path / "outside").write_bytes(b"")
    (tmp_path / "outside").chmod(0o644)
    for folder in (data, data / "backups", data / "elsewhere"):
        folder.chmod(0o755)
    private.tighten_data_folder(data)
    assert mode(data) == 0o755  # the user's choice (it may be /tmp)
    assert mode(data / "backups") == 0o700 and mode(data / "backups" / "b.db") == 0o600
    assert mode(data / "gridapp.db") == 0o600
    assert mode(data / "elsewhere" / "f") == 0o644  # not a folder of ours
    assert mode(tmp_path / "outside") == 0o644  # never through a link


def test_the_log_waits_for_its_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "not-yet"
    path = setup_logging(data)
    log = logging.getLogger("gridapp.test")
    try:
        log.info("before the folder exists")
        assert not data.exists()
        with umask(0o022):
            data.mkdir()
            log.info("after")
        text = path.read_text(encoding="utf-8")
        assert "before the folder exists" in text and "after" in text
        assert mode(path) == 0o600 and mode(path.parent) == 0o700
    finally:
        setup_logging(tmp_path / "elsewhere")  # let go of the file


def test_settings_and_ui_state_are_private(tmp_path: Path) -> None:
    with umask(0o022):
        save_settings(tmp_path / "data", Settings(worker_code="W0101"))
        save_ui_state(tmp_path / "data", UiState(last_building_id="b"))
    assert mode(tmp_path / "data") == 0o700
    assert mode(tmp_path / "data" / "settings.json") == 0o600
    assert mode(tmp_path / "data" / "ui_state.json") == 0o600
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == [
        "settings.json",
        "ui_state.json",
    ]


@pytest.mark.parametrize("key", [None, bytes(range(32))])
def test_the_database_and_its_wal_and_shm_are_private_while_open(
    tmp_path: Path, key: bytes | None
) -> None:
    from gridapp.storage.store import Store

    with umask(0o022):
        store = Store.open(tmp_path / "data" / "gridapp.db", key=key)
        try:
            names = sorted(p.name for p in (tmp_path / "data").iterdir())
            assert names == ["gridapp.db", "gridapp.db-shm", "gridapp.db-wal"]
            for name in names:
                assert mode(tmp_path / "data" / name) == 0o600, name
        finally:
            store.close()
    assert mode(tmp_path / "data") == 0o700
