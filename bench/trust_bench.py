"""What sign-in and encryption cost: one argon2id guess with the production parameters
(the thief's price per PIN tried, and the worker's wait at sign-in), against the
cheapest argon2id; opening the demo database encrypted against plain; and a search-heavy
read on each (every page read is decrypted)."""

from __future__ import annotations

import secrets
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from gridapp.clock import SystemClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.services import Services
from gridapp.storage.database import open_database
from gridapp.storage.encryption import encrypt_in_place
from gridapp.storage.store import Store
from gridapp.trust.crypto import PRODUCTION, derive_kek, new_salt

Row = Callable[..., str]


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _median_cpu_ms(action: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        action()
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def _open_and_count(path: Path, key: bytes | None) -> None:
    db = open_database(path, key)
    db.execute("SELECT count(*) FROM household").fetchone()
    db.close()


def _scan(path: Path, key: bytes | None) -> None:
    db = open_database(path, key)
    db.execute("SELECT count(*) FROM resident WHERE name LIKE '%秀%'").fetchone()
    db.close()


def run(row: Row, households: int = 2000, repeat: int = 9) -> None:
    salt = new_salt()
    wall = _median_ms(lambda: derive_kek("246813", salt, PRODUCTION), repeat)
    # CPU time is the thief's price per core; wall time is the worker's wait, and on a
    # busy machine it is longer.
    guess = _median_cpu_ms(lambda: derive_kek("246813", salt, PRODUCTION), repeat)
    p = PRODUCTION
    print(
        f"argon2id t={p.time_cost} m={p.memory_kib // 1024} MiB p={p.parallelism}: "
        f"{guess:.0f} ms per guess; a 6-digit PIN (10^6) costs one core "
        f"{guess * 1e6 / 1000 / 86400:.1f} days, an 8-digit one "
        f"{guess * 1e8 / 1000 / 86400 / 365:.1f} years"
    )
    verdict = "ok" if 250 <= guess <= 600 else "OUTSIDE the 0.3-0.5 s goal"
    label = "argon2id, one PIN guess (production), CPU"
    print(f"{label:<52} {guess:>10.0f} ms  goal 300-500 ms {verdict}")
    print(f"{'argon2id, the same, wall (the wait at sign-in)':<52} {wall:>10.0f} ms")
    work = Path(tempfile.mkdtemp(prefix="gridapp-trust-"))
    try:
        plain = work / "plain.db"
        services = Services(Store.open(plain, SystemClock()))
        services.device.initialise("office", "bench")
        build_demo(services, DemoOptions(households=households))
        services.store.close()
        encrypted = work / "encrypted.db"
        shutil.copy(plain, encrypted)
        key = secrets.token_bytes(32)
        start = time.perf_counter()
        encrypt_in_place(encrypted, key)
        print(f"encrypting the {households:,}-household demo in place: "
              f"{time.perf_counter() - start:.2f} s")  # fmt: skip
        actions: list[tuple[str, Callable[[Path, bytes | None], None]]] = [
            ("open + count", _open_and_count),
            ("open + LIKE scan", _scan),
        ]
        for name, action in actions:
            _open_and_count(plain, None)
            _open_and_count(encrypted, key)  # warm the file cache for both
            base = _median_ms(partial(action, plain, None), repeat * 3)
            enc = _median_ms(partial(action, encrypted, key), repeat * 3)
            print(row(f"{name}, encrypted vs plain ({households:,})", enc, base, "ms", 3))
    finally:
        shutil.rmtree(work, ignore_errors=True)
