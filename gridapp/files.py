"""Writing files: the one way gridapp writes a file whole, whatever it is (an export a
person carries away, a PDF, a bundle, a backup, the settings, the keyring).

A temporary file of our own (0600: what the app writes may name residents, and whoever
saved it can share it on purpose) beside the target, filled, fsynced, renamed over the
target, and the folder fsynced: a crash, a full disk or an error while drawing leaves
the old file (or none), never half, and no temporary file behind. The machine's faults
become errors the user can act on, worded for what happened: a full disk, a read-only
disk, a folder this account may not write, a missing folder, a failing device.

Three forms, one mechanism: `write_atomic` (bytes or text), `atomic_output` (a binary
file to stream into: PDFs, workbooks), `atomic_path` (a path for a library that wants a
name: SQLite, zipfile, openpyxl); `copy_atomic` copies a file the same way.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from gridapp.errors import DiskFull, EnvironmentFault, ReadOnlyLocation
from gridapp.private import POSIX, PRIVATE_FILE

_BINARY = getattr(os, "O_BINARY", 0)
#: What an OS error means for a file being written, as a catalog key (with `path`).
#: Any other error (a missing folder, a file where a folder should be) gets
#: ReadOnlyLocation's own words: "read-only, missing or not permitted".
_WRITE_FAULTS: dict[int, str] = {
    errno.EROFS: "error.write.read_only",
    errno.EACCES: "error.write.no_permission",
    errno.EPERM: "error.write.no_permission",
    errno.EIO: "error.write.device",
    errno.ENODEV: "error.write.device",
    errno.ENXIO: "error.write.device",
}
#: A folder that cannot be fsynced where the file system does not support it: the
#: rename stands, only its durability across a power cut is the file system's.
_NO_DIR_SYNC = frozenset({errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF})


def kind_key(mode: int) -> str | None:
    """What a file that is not a regular file is, as a catalog key; None if regular."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "error.path.is_folder"
    if stat.S_ISFIFO(mode):
        return "error.path.is_fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "error.path.is_device"
    if stat.S_ISSOCK(mode):
        return "error.path.is_socket"
    return "error.path.not_regular"


def not_a_file(path: Path) -> str | None:
    """Why `path` cannot be read as a file (missing, a folder, a pipe, a device, not
    allowed) as a catalog key with a `file` parameter; None for a readable regular file.
    Checked without opening it: a FIFO would block, /dev/zero never ends."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "error.path.missing"
    except (OSError, ValueError):  # (ValueError: a NUL in the name)
        return "error.path.unreadable"
    return kind_key(mode) or (None if os.access(path, os.R_OK) else "error.path.unreadable")


def write_fault(exc: OSError, where: Path | str) -> EnvironmentFault:
    """An OS error while writing `where`, as the error the user can act on: a full disk
    is DiskFull (never "read-only"), everything else a ReadOnlyLocation whose key says
    what is known (read-only disk, no permission, a failing device)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(path=str(where))
    return ReadOnlyLocation(_WRITE_FAULTS.get(exc.errno or 0), path=str(where))


@contextlib.contextmanager
def file_errors(where: Path | str) -> Iterator[None]:
    """OS errors while writing `where` → `write_fault`: never a traceback for the
    machine's fault."""
    try:
        yield
    except OSError as exc:
        raise write_fault(exc, where) from exc


@contextlib.contextmanager
def atomic_path(out: Path, part: Path | None = None) -> Iterator[Path]:
    """A new private file beside `out` for the block to fill by its path; when the
    block ends it replaces `out` (fsynced, renamed, the folder fsynced). On any error
    it is removed and `out` is as it was. `part` names the temporary file where its
    owner must recognise it (a backup's `.part`); it must not exist yet."""
    with file_errors(out):
        tmp = _new_part(out, part)
    try:
        with file_errors(out):
            yield tmp
            fsync_file(tmp)
            _replace(tmp, out)
            fsync_dir(out.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


@contextlib.contextmanager
def atomic_output(out: Path) -> Iterator[BinaryIO]:
    """A binary file to write `out` through (PDFs, workbooks, anything streamed):
    `out` appears whole when the block ends, or not at all."""
    with atomic_path(out) as tmp, open(tmp, "wb") as handle:
        yield handle


def write_atomic(out: Path, data: bytes | str) -> None:
    """`out` holds `data` (text is written as UTF-8): the old file or the whole new one."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_output(out) as handle:
        handle.write(payload)


def copy_atomic(source: Path, target: Path) -> None:
    """Copy `source` to `target` the same way (private, whole or not at all). A source
    that cannot be read raises its own OSError: only the writing speaks for `target`."""
    with open(source, "rb") as src, atomic_output(target) as out:
        shutil.copyfileobj(src, out, 1 << 20)


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable. Windows cannot open a folder (its renames are
    durable already); a file system that cannot sync a folder is left to itself."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        if exc.errno in _NO_DIR_SYNC or exc.errno == errno.EACCES:
            return
        raise
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _NO_DIR_SYNC:
            raise
    finally:
        os.close(fd)


def _new_part(out: Path, part: Path | None) -> Path:
    """Create the temporary file, 0600 whatever the umask; a name of our own (mkstemp),
    so two writers never share one."""
    if part is None:
        # A short prefix: the target's name may be near the file system's limit.
        fd, name = tempfile.mkstemp(prefix=f".{out.name[:60]}.", suffix=".tmp", dir=out.parent)
        tmp = Path(name)
    else:
        tmp = part
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, PRIVATE_FILE)
    try:
        if POSIX:
            os.fchmod(fd, PRIVATE_FILE)  # created 0600 minus the umask: set it whole
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    os.close(fd)
    return tmp


def fsync_file(path: Path) -> None:
    """Push a file's written bytes to the disk."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _replace(tmp: Path, out: Path) -> None:
    """os.replace; on Windows a reader holding the file open makes it fail for a moment."""
    for attempt in range(50):
        try:
            os.replace(tmp, out)
            return
        except PermissionError:
            if os.name != "nt" or attempt == 49:
                raise
            time.sleep(0.02)
