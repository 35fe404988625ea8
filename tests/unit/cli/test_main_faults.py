"""The machine's faults through the command line: a full disk, a read-only folder, a
database locked by another program, a damaged file. Each: one clear line, exit 2,
nothing changed, the database still whole (PRAGMA integrity_check)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gridapp.cli import main
from gridapp.storage import database, store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faults")
    assert main(["--data-dir", str(path), "demo", "--households", "40", "--seed", "5"]) == 0
    return path


@pytest.fixture
def data(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(template, target)
    return target


def _household(data: Path) -> str:
    conn = sqlite3.connect(data / "gridapp.db")
    try:
        return str(conn.execute("SELECT code FROM household LIMIT 1").fetchone()[0])
    finally:
        conn.close()


def _visits_and_integrity(data: Path) -> tuple[int, str]:
    conn = sqlite3.connect(data / "gridapp.db")
    try:
        visits = int(conn.execute("SELECT count(*) FROM visit").fetchone()[0])
        return visits, str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def _record(capsys: pytest.CaptureFixture[str], data: Path, code: str) -> tuple[int, str, str]:
    # Long notes and suggestions (32,000 characters, each text within its bound): the
    # visit needs new pages, not just room left in the last one.
    text = "门口留了联系卡。" * 500
    suggestions = [arg for _ in range(7) for arg in ("--suggestion", f"other:{text}")]
    return run(
        capsys, "--data-dir", str(data), "visit", "record", "--household", code,
        "--worker", "W0101", "--outcome", "not_home", "--notes", text, *suggestions,
    )  # fmt: skip


def _one_clear_line(err: str, words: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], err


def test_disk_full(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _household(data)
    before = _visits_and_integrity(data)
    real_open = database.open_database

    def full(path: Path | str | None, key: bytes | None = None) -> object:
        db = real_open(path, key)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite: "database or disk is full"
        return db

    monkeypatch.setattr(store, "open_database", full)
    exit_code, _, err = _record(capsys, data, code)
    assert exit_code == 2
    _one_clear_line(err, "磁盘已满")
    assert _visits_and_integrity(data) == before


# the lock also stops the daily backup, which says so in the log
@pytest.mark.expected_log(r"^daily backup failed: error\.db_locked ")
def test_database_locked_by_another_program(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _household(data)
    before = _visits_and_integrity(data)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    locker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            f"c = sqlite3.connect({str(data / 'gridapp.db')!r}, isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
        exit_code, _, err = _record(capsys, data, code)
    finally:
        assert locker.stdin is not None
        locker.stdin.close()
        locker.wait(10)
        if locker.stdout is not None:
            locker.stdout.close()
    assert exit_code == 2
    _one_clear_line(err, "正被另一个程序使用")
    assert _visits_and_integrity(data) == before


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: bytes(range(256)) * 64, id="garbage"),
        pytest.param(lambda raw: raw[: len(raw) // 3], id="truncated"),
        pytest.param(lambda raw: "这是一份文本文件，不是数据库。\n".encode() * 50, id="text"),
    ],
)
def test_a_damaged_database_file(
    data: Path, capsys: pytest.CaptureFixture[str], damage: object
) -> None:
    path = data / "gridapp.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    broken = damage(path.read_bytes())  # type: ignore[operator]
    path.write_bytes(broken)
    for argv in (
        ("stats",),
        ("household", "list", "--json"),
        ("visit", "void", "x", "--reason", "r"),
    ):
        exit_code, _out, err = run(capsys, "--data-dir", str(data), *argv)
        assert exit_code == 2, argv
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
        assert "损坏" in err or "无法" in err, err
    assert path.read_bytes() == broken  # nothing was written over it


def _can_mount() -> bool:
    if sys.platform != "linux" or not hasattr(__import__("os"), "geteuid"):
        return False
    import os

    return os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    point = tmp_path / "mnt"
    point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(point)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


@pytest.mark.skipif(not _can_mount(), reason="needs root to mount a small tmpfs")
def test_a_real_full_disk_and_a_read_only_folder(
    template: Path, tmpfs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmpfs / "data"
    shutil.copytree(template, data, ignore=shutil.ignore_patterns("backups", "logs"))
    code = _household(data)
    before = _visits_and_integrity(data)
    free = shutil.disk_usage(tmpfs).free
    (tmpfs / "filler").write_bytes(b"\0" * (free - 4096))
    exit_code, _, err = _record(capsys, data, code)
    # Whether SQLite meets the full disk in the log or the file, the user reads it.
    assert exit_code == 2
    _one_clear_line(err, "")
    assert "磁盘已满" in err or "无法" in err
    (tmpfs / "filler").unlink()
    assert _visits_and_integrity(data) == before


@pytest.mark.skipif(not _can_mount(), reason="needs root for a read-only bind mount")
def test_a_read_only_data_folder(
    template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The data folder turned read-only (a stick's write-protect switch)."""
    source, view = tmp_path / "src", tmp_path / "ro"
    shutil.copytree(template, source, ignore=shutil.ignore_patterns("logs"))
    view.mkdir()
    code = _household(source)
    before = _visits_and_integrity(source)
    done = subprocess.run(["mount", "--bind", str(source), str(view)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("bind mounts are not allowed here")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True)
        for argv in (("stats",), ("backup", "now")):
            exit_code, _, err = run(capsys, "--data-dir", str(view), *argv)
            assert exit_code == 2, argv
            _one_clear_line(err, "")
            assert "只读" in err or "无法" in err, err
        exit_code, _, err = _record(capsys, view, code)
        assert exit_code == 2
        _one_clear_line(err, "")
    finally:
        import gc

        gc.collect()  # a connection that failed to open is closed when collected
        subprocess.run(["umount", "-l", str(view)], check=False)
    assert _visits_and_integrity(source) == before


def test_export_to_a_read_only_or_full_stick(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field laptop exports to a stick that refuses the write: the message says so,
    nothing is left half-written, and the same changes are offered next time."""
    import errno
    import os

    office, field = tmp_path / "office", tmp_path / "field"
    assert main(["--data-dir", str(office), "demo", "--households", "40", "--seed", "5"]) == 0
    assert main(["--data-dir", str(field), "init", "--role", "field", "--plain"]) == 0
    assert (
        main(["--data-dir", str(field), "device", "request", "--out", str(tmp_path / "r.json")])
        == 0
    )
    assert main(
        ["--data-dir", str(office), "device", "enroll", str(tmp_path / "r.json"), "--team", "1",
         "--out", str(tmp_path / "roster.gsb"), "--allow-plain"]
    ) == 0  # fmt: skip
    assert main(["--data-dir", str(field), "bundle", "import", str(tmp_path / "roster.gsb")]) == 0
    code = _household(field)
    assert _record(capsys, field, code)[0] == 0
    capsys.readouterr()
    real_replace = os.replace

    def stick_full(src: object, dst: object) -> None:
        if str(dst).endswith(".gsb"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", stick_full)
    stick = tmp_path / "stick"
    stick.mkdir()
    exit_code, _, err = run(
        capsys, "--data-dir", str(field), "bundle", "export", "--out", str(stick / "b.gsb")
    )
    assert exit_code == 2
    _one_clear_line(err, "磁盘已满")
    assert list(stick.iterdir()) == []
    monkeypatch.setattr(os, "replace", real_replace)
    exit_code, out, _ = run(
        capsys,
        "--data-dir",
        str(field),
        "bundle",
        "export",
        "--out",
        str(stick / "b.gsb"),
        "--json",
    )
    assert exit_code == 0
    assert json.loads(out)["seq_from"] == 1  # nothing had been marked as sent
