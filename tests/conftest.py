"""Shared fixtures. Qt runs offscreen: without a display Qt would abort the process."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.services import Services
from gridapp.storage.store import Store

#: "Today" in tests: day 5 of the demo week (2023-12-04 to 12-10), its visits behind it.
START = datetime(2023, 12, 8, 9, 0, tzinfo=CHINA_TZ)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def make_services(path: Path | None, clock: FixedClock, role: str = "office") -> Services:
    """A plain (unencrypted) database through the core API: test mode. Its laptops'
    enrolment requests say they are not encrypted, so its office accepts them
    explicitly (`allow_plain_laptops`; the real office refuses them)."""
    services = Services(Store.open(path, clock))
    services.device.initialise(role, f"test {role}")
    services.sync.allow_plain_laptops = True
    return services


@pytest.fixture
def services(clock: FixedClock) -> Iterator[Services]:
    """A fresh in-memory office database, initialised."""
    s = make_services(None, clock)
    yield s
    s.store.close()


@pytest.fixture
def demo_services(clock: FixedClock) -> Iterator[Services]:
    """A small demo campaign (240 households) in memory."""
    s = make_services(None, clock)
    build_demo(s, DemoOptions(households=240, seed=7))
    yield s
    s.store.close()


@pytest.fixture(autouse=True)
def _collect_cycles_between_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    """Qt objects caught in reference cycles die when Python's collector runs: in GUI
    tests, run it between tests, as the app runs it between events (ui/shell/collector.py),
    not at a random allocation inside the next test's painting."""
    import gc

    gui = request.node.get_closest_marker("gui") is not None
    if gui:
        gc.disable()
    yield
    if gui:
        gc.collect()
        gc.enable()
