"""The data folder is private to the user who runs gridapp: folders 0700, files 0600.

On a shared office PC every other account could otherwise read the residents' phones
in a world-readable database or backup (a umask of 022 gives 0644 files in 0755
folders). Modes are set explicitly after creating (chmod/fchmod), so they hold whatever
the umask; on systems without POSIX modes (Windows) the folder's inherited ACLs apply
and these functions only create. Whole files are written through gridapp.files
(atomic, private, with the machine's faults worded for the user).

A folder that already exists keeps its mode (a `--data-dir` may name a folder shared on
purpose, or /tmp); what gridapp writes inside it is still private, and
`tighten_data_folder` narrows files and sub-folders of ours left looser by older versions.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
#: Where modes mean something (Windows has ACLs instead).
POSIX = os.name == "posix"
#: Sub-folders of the data folder that gridapp makes (backups, logs, bundles kept).
SUBFOLDERS = ("backups", "logs", "held", "refused")
_BINARY = getattr(os, "O_BINARY", 0)


def private_dir(path: Path) -> Path:
    """Create `path` and every missing folder above it, each 0700; an existing folder
    is left as it is. Raises like `Path.mkdir(parents=True, exist_ok=True)`."""
    missing: list[Path] = []
    current = path
    while not os.path.lexists(current):
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, PRIVATE_DIR)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue  # made by another process meanwhile: theirs to set
        if POSIX:
            os.chmod(folder, PRIVATE_DIR)
    if not path.is_dir():
        raise FileExistsError(f"not a folder: {path}")
    return path


def open_private(path: Path, flags: int = os.O_WRONLY | os.O_CREAT | os.O_TRUNC) -> int:
    """A file descriptor on `path`, created 0600 (and narrowed to 0600 if it was not)."""
    fd = os.open(path, flags | _BINARY, PRIVATE_FILE)
    if POSIX:
        try:
            os.fchmod(fd, PRIVATE_FILE)
        except BaseException:
            os.close(fd)
            raise
    return fd


def create_private(path: Path) -> bool:
    """Create `path` empty and 0600 if it does not exist, for a library to open next
    (SQLite creates its files with the umask's mode; it gives -wal and -shm the mode of
    the database file). Returns whether it was created."""
    try:
        fd = open_private(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def tighten(path: Path, mode: int = PRIVATE_FILE) -> None:
    """Narrow a file or folder of ours to `mode` if group or others have any access.
    Symbolic links, other users' files and missing paths are left alone."""
    if not POSIX:
        return
    try:
        info = os.lstat(path)
    except OSError:
        return
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid():
        return
    if stat.S_IMODE(info.st_mode) & 0o077:
        with contextlib.suppress(OSError):
            os.chmod(path, mode)


def tighten_data_folder(data_dir: Path) -> None:
    """What older versions left readable by others: the files directly in the data
    folder and in its own sub-folders become 0600, those sub-folders 0700. The data
    folder itself keeps its mode (see the module's note); milliseconds for a full one."""
    if not POSIX or not data_dir.is_dir():
        return
    folders = [data_dir]
    for name in SUBFOLDERS:
        sub = data_dir / name
        if sub.is_dir() and not sub.is_symlink():
            tighten(sub, PRIVATE_DIR)
            folders.append(sub)
    for folder in folders:
        with contextlib.suppress(OSError):
            for entry in os.scandir(folder):
                if entry.is_file(follow_symlinks=False):
                    tighten(Path(entry.path))
