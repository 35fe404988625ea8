"""Twelve processes type a wrong PIN at the same moment: twelve failures are counted,
none crashes, and the keyring stays whole (a file lock around every change, a
temporary file of its own for every write)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gridapp.clock import FixedClock
from gridapp.trust.accounts import FREE_ATTEMPTS, AccountBook, lock_after
from gridapp.trust.crypto import FAST
from gridapp.trust.keyring import keyring_lock, load_keyring, save_keyring

pytestmark = pytest.mark.slow  # a dozen processes at once

ROOT = Path(__file__).resolve().parents[3]
PROCESSES = 12

# One sign-in with a wrong PIN, as `gridapp-cli --worker W0101` or the sign-in screen
# would do it. "checked" is printed once the PIN was actually tried (argon2 ran): an
# attempt refused because the account is already locked never prints it.
CHILD = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from gridapp.errors import AccessDenied
    from gridapp.trust import crypto
    from gridapp.trust.accounts import AccountBook

    derive = crypto.derive_kek

    def tried(*args):
        key = derive(*args)
        print("checked", flush=True)
        return key

    crypto.derive_kek = tried
    try:
        AccountBook(Path(sys.argv[1])).sign_in("W0101", sys.argv[2])
    except AccessDenied as exc:
        print(json.dumps({"key": exc.key, **exc.params}), flush=True)
    else:
        print(json.dumps({"key": "signed in"}), flush=True)
""")


@pytest.fixture
def keyring(tmp_path: Path, clock: FixedClock) -> Path:
    book = AccountBook(tmp_path / "data" / "keyring.json", clock, FAST)
    admin, _ = book.create("A0001", "admin", "246813")
    book.add(admin, "W0101", "field", "135792")
    return book.path


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Any]:
    """Starts a child with the next wrong PIN; any still running at the end is killed."""
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    children: list[subprocess.Popen[str]] = []

    def _start(path: Path) -> subprocess.Popen[str]:
        child = subprocess.Popen(
            [sys.executable, str(script), str(path), f"9753{len(children):02d}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        children.append(child)
        return child

    yield _start
    for child in children:
        if child.poll() is None:
            child.kill()
        child.communicate()


def _finish(child: subprocess.Popen[str], seen: list[str]) -> dict[str, Any]:
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0 and not err, err  # no traceback, no crash
    lines = [*seen, *out.splitlines()]
    outcome: dict[str, Any] = json.loads(lines[-1])
    outcome["checked"] = lines.count("checked")
    return outcome


def _failures(path: Path) -> int:
    keyring = load_keyring(path)
    assert keyring is not None
    entry = keyring.find("W0101")
    assert entry is not None
    return entry.failures


def _leftovers(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.endswith(".tmp"))


def test_twelve_wrong_pins_at_once_count_as_twelve(keyring: Path, start: Any) -> None:
    """Every process has tried its PIN before any may write (the test holds the lock
    until all twelve said so): twelve read-change-writes then queue on the one file."""
    with keyring_lock(keyring):
        children = [start(keyring) for _ in range(PROCESSES)]
        seen = []
        for child in children:
            assert child.stdout is not None
            line = child.stdout.readline().strip()  # tried, now waiting for the lock
            assert line == "checked", line
            seen.append([line])
    outcomes = [_finish(child, lines) for child, lines in zip(children, seen, strict=True)]
    assert _failures(keyring) == PROCESSES
    assert all(o["checked"] == 1 for o in outcomes)
    # Each attempt saw its own count: 4, 3, 2, 1 left, then locks of 1, 2, 4 … minutes.
    left = sorted(o["left"] for o in outcomes if o["key"] == "error.trust.wrong_pin")
    assert left == list(range(1, FREE_ATTEMPTS))
    minutes = sorted(o["minutes"] for o in outcomes if o["key"] == "error.trust.locked")
    waits = [lock_after(n) for n in range(FREE_ATTEMPTS, PROCESSES + 1)]
    assert minutes == [int(w.total_seconds() // 60) for w in waits if w is not None]
    assert _leftovers(keyring) == []


def test_a_free_for_all_counts_every_pin_that_was_tried(keyring: Path, start: Any) -> None:
    """No one holds them back: some find the account already locked (not a guess: not
    counted); every PIN actually tried is counted, and nothing breaks."""
    children = [start(keyring) for _ in range(PROCESSES)]
    outcomes = [_finish(child, []) for child in children]
    tried = sum(o["checked"] for o in outcomes)
    assert FREE_ATTEMPTS <= tried <= PROCESSES
    assert _failures(keyring) == tried
    assert all(o["key"] in ("error.trust.wrong_pin", "error.trust.locked") for o in outcomes)
    assert _leftovers(keyring) == []


def test_each_write_has_its_own_private_temporary_file(keyring: Path) -> None:
    keyring_before = load_keyring(keyring)
    assert keyring_before is not None
    # A stale file by the old fixed name must not be reused or get in the way.
    stale = keyring.with_name("keyring.json.tmp")
    stale.write_text("half a keyring", encoding="utf-8")
    with keyring_lock(keyring):
        save_keyring(keyring, keyring_before)
    assert stale.read_text(encoding="utf-8") == "half a keyring"
    assert load_keyring(keyring) == keyring_before
    if os.name != "nt":
        assert stat.S_IMODE(keyring.stat().st_mode) == 0o600
    assert _leftovers(keyring) == ["keyring.json.tmp"]
