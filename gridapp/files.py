"""Writing files people carry away (exports, backups) when the machine is against us:
a full disk, a read-only or pulled USB stick. Each becomes an error the user can act on,
and a failed write leaves no half file behind."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from gridapp.errors import DiskFull, ReadOnlyLocation
from gridapp.private import open_private


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
    """`out.part`, fsync, rename: the old file or the whole new one, never half."""
    part = out.with_name(out.name + ".part")
    with file_errors(out):
        try:
            # Private (0600): what the app writes may name residents; whoever saved it
            # can share it on purpose.
            with os.fdopen(open_private(part), "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(part, out)
        except BaseException:
            with contextlib.suppress(OSError):
                part.unlink()
            raise
