"""Writing files people carry away (exports, backups) when the machine is against us:
a full disk, a read-only or pulled USB stick. Each becomes an error the user can act on,
and a failed write leaves no half file behind."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from gridapp.errors import DiskFull, ReadOnlyLocation
from gridapp.private import write_private


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


@contextlib.contextmanager
def file_errors(where: Path | str) -> Iterator[None]:
    """OS errors while writing `where` → DiskFull or ReadOnlyLocation (which also says
    "missing or not allowed"): never a traceback for the machine's fault."""
    try:
        yield
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull(path=str(where)) from exc
        raise ReadOnlyLocation(path=str(where)) from exc


def write_atomic(out: Path, data: bytes) -> None:
    """The old file or the whole new one, never half; private (0600): what the app
    writes may name residents, and whoever saved it can share it on purpose. The
    machine's faults (full disk, read-only stick) are errors the user can act on."""
    with file_errors(out):
        write_private(out, data)
