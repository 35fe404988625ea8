"""gridapp.files: the one atomic writer. Whole or not at all, fsynced (file and folder),
private, no temporary file left behind, and the machine's faults worded honestly."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from gridapp import files
from gridapp.errors import DiskFull, EnvironmentFault, ReadOnlyLocation
from gridapp.i18n import LANGUAGES, Catalog

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _failing(errno_: int) -> Callable[..., object]:
    def fail(*args: object, **kwargs: object) -> object:
        raise OSError(errno_, os.strerror(errno_))

    return fail


def test_bytes_and_text_replace_the_old_file_whole(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    files.write_atomic(out, b"old")
    files.write_atomic(out, "新的内容")
    assert out.read_text(encoding="utf-8") == "新的内容"
    assert _names(tmp_path) == ["out.json"]


def test_a_stream_appears_only_when_done(tmp_path: Path) -> None:
    out = tmp_path / "big.pdf"
    with files.atomic_output(out) as handle:
        handle.write(b"%PDF-1.4 ")
        assert not out.exists()  # nothing at the target while writing
        handle.write(b"rest")
    assert out.read_bytes() == b"%PDF-1.4 rest"
    assert _names(tmp_path) == ["big.pdf"]


@posix_only
def test_written_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        files.write_atomic(tmp_path / "a.csv", b"x")
        with files.atomic_output(tmp_path / "b.pdf") as handle:
            handle.write(b"y")
        files.copy_atomic(tmp_path / "a.csv", tmp_path / "c.csv")
    finally:
        os.umask(old)
    for name in ("a.csv", "b.pdf", "c.csv"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


@posix_only
def test_the_file_and_its_folder_are_fsynced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        mode = os.fstat(fd).st_mode
        synced.append("folder" if stat.S_ISDIR(mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    files.write_atomic(tmp_path / "settings.json", b"{}")
    assert synced == ["file", "folder"]  # the bytes before the rename, the rename after


def test_an_error_while_writing_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path,
) -> None:
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"yesterday's")
    with pytest.raises(RuntimeError), files.atomic_output(out) as handle:
        handle.write(b"half of today's")
        raise RuntimeError("drawing failed")
    assert out.read_bytes() == b"yesterday's"
    assert _names(tmp_path) == ["report.xlsx"]


@pytest.mark.parametrize(
    ("code", "kind", "key", "words"),
    [
        (errno.ENOSPC, DiskFull, "error.disk_full", "磁盘已满"),
        (errno.EDQUOT, DiskFull, "error.disk_full", "磁盘已满"),
        (errno.EROFS, ReadOnlyLocation, "error.write.read_only", "只读"),
        (errno.EACCES, ReadOnlyLocation, "error.write.no_permission", "没有写入该位置的权限"),
        (errno.EPERM, ReadOnlyLocation, "error.write.no_permission", "没有写入该位置的权限"),
        (errno.EIO, ReadOnlyLocation, "error.write.device", "读写出错"),
    ],
)
@pytest.mark.parametrize("where", ["create", "write", "fsync", "replace"])
def test_the_machines_faults_are_worded_for_what_happened(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    kind: type[EnvironmentFault],
    key: str,
    words: str,
    where: str,
) -> None:
    out = tmp_path / "stick" / "export.csv"
    out.parent.mkdir()
    out.write_bytes(b"the previous export")
    fail = _failing(code)
    if where == "create":
        monkeypatch.setattr(tempfile, "mkstemp", fail)
    elif where == "fsync":
        monkeypatch.setattr(os, "fsync", fail)
    elif where == "replace":
        monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(kind) as caught, files.atomic_output(out) as handle:
        handle.write(b"new")
        if where == "write":
            raise OSError(code, os.strerror(code))  # as a full stick fails a write
    assert caught.value.key == key and caught.value.params == {"path": str(out)}
    assert words in Catalog("zh_CN").tr(caught.value.key, **caught.value.params)
    assert out.read_bytes() == b"the previous export"
    assert _names(out.parent) == ["export.csv"]  # no temporary file left


def test_a_full_disk_is_never_called_read_only() -> None:
    full = files.write_fault(OSError(errno.ENOSPC, "No space left on device"), "/media/u/x.pdf")
    assert isinstance(full, DiskFull) and not isinstance(full, ReadOnlyLocation)


def test_every_fault_has_words_in_every_language(tmp_path: Path) -> None:
    codes = (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EIO, errno.ENOENT, errno.ENOTDIR)
    faults = [files.write_fault(OSError(c, os.strerror(c)), tmp_path / "x") for c in codes]
    for lang in LANGUAGES:
        catalog = Catalog(lang)
        texts = [catalog.tr(f.key, **f.params) for f in faults]
        assert all(f.key in catalog.known_keys() for f in faults)
        assert all(str(tmp_path / "x") in t for t in texts)
        assert len(set(texts)) == len({f.key for f in faults})  # each says its own thing


def test_a_missing_folder_or_a_file_in_its_place_is_refused_cleanly(tmp_path: Path) -> None:
    with pytest.raises(ReadOnlyLocation) as missing:
        files.write_atomic(tmp_path / "no" / "such" / "r.pdf", b"x")
    assert missing.value.key == "error.read_only"
    (tmp_path / "blocker").write_bytes(b"")
    with pytest.raises(ReadOnlyLocation):
        files.write_atomic(tmp_path / "blocker" / "r.pdf", b"x")
    assert _names(tmp_path) == ["blocker"]


def test_a_named_part_is_used_and_must_be_new(tmp_path: Path) -> None:
    out, part = tmp_path / "b.db", tmp_path / "b.db.part"
    with files.atomic_path(out, part=part) as tmp:
        assert tmp == part and part.exists()
        tmp.write_bytes(b"copy")
    assert out.read_bytes() == b"copy" and _names(tmp_path) == ["b.db"]
    part.write_bytes(b"left by a killed copy")
    with pytest.raises(ReadOnlyLocation), files.atomic_path(out, part=part):
        pass
    assert part.read_bytes() == b"left by a killed copy"  # never opened, never removed
    assert out.read_bytes() == b"copy"


def test_a_name_near_the_limit_still_writes(tmp_path: Path) -> None:
    out = tmp_path / ("走访记录" * 20 + "123456.pdf")  # 250 bytes of a 255-byte name
    files.write_atomic(out, b"x")
    assert _names(tmp_path) == [out.name]


def test_a_copy_whose_source_is_gone_says_so_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "saved.pdf"
    with pytest.raises(FileNotFoundError):
        files.copy_atomic(tmp_path / "swept.pdf", target)
    assert _names(tmp_path) == []


@posix_only
def test_a_folder_that_cannot_be_synced_does_not_fail_the_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync

    def no_folder_sync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "Invalid argument")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", no_folder_sync)
    files.write_atomic(tmp_path / "a.txt", "ok")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "ok"
