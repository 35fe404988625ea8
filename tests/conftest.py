"""Shared fixtures. Qt runs offscreen: without a display Qt would abort the process."""

from __future__ import annotations

import logging
import os
import re

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Generator, Iterator
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


class _LogCapture(logging.Handler):
    """Every record at WARNING or above that reaches the root logger during one test."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []
        self.matched: set[str] = set()
        self.passed = False  # the test's own call passed

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_LOG_CAPTURE = pytest.StashKey[_LogCapture]()


def _expected_log_patterns(item: pytest.Item) -> list[str]:
    return [str(p) for mark in item.iter_markers("expected_log") for p in mark.args]


def _check_log(item: pytest.Item, phase: str) -> None:
    """Fail on the warnings and errors logged since the last check that no
    `@pytest.mark.expected_log(...)` pattern of the test matches."""
    capture = item.stash.get(_LOG_CAPTURE, None)
    if capture is None:
        return
    patterns = _expected_log_patterns(item)
    unexpected: list[str] = []
    for record in capture.records:
        message = record.getMessage()
        hits = [p for p in patterns if re.search(p, message)]
        capture.matched.update(hits)
        if not hits:
            unexpected.append(f"{record.levelname} {record.name}: {message}")
    capture.records.clear()
    if unexpected:
        pytest.fail(
            f"unexpected log output during {phase} (mark the test "
            "@pytest.mark.expected_log(regex) if it is the behaviour under test):\n  "
            + "\n  ".join(unexpected),
            pytrace=False,
        )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    """Warnings and errors in the log fail the test (tests/test_hygiene.py)."""
    capture = _LogCapture()
    item.stash[_LOG_CAPTURE] = capture
    logging.getLogger().addHandler(capture)
    yield
    _check_log(item, "setup")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    try:
        yield
    except BaseException:
        # The test failed on its own: that failure is the report (its log is shown
        # with it); the records must not fail its teardown too.
        capture = item.stash.get(_LOG_CAPTURE, None)
        if capture is not None:
            capture.records.clear()
        raise
    _check_log(item, "call")
    item.stash[_LOG_CAPTURE].passed = True


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    try:
        yield
    finally:
        capture = item.stash.get(_LOG_CAPTURE, None)
        if capture is not None:
            logging.getLogger().removeHandler(capture)
    _check_log(item, "teardown")
    if capture is not None:
        # A test marked itself must show what it expects (a module's or a class's mark
        # only allows it to its tests).
        own = [
            str(p) for mark in item.own_markers if mark.name == "expected_log" for p in mark.args
        ]
        missing = [p for p in own if p not in capture.matched]
        if missing and capture.passed:
            pytest.fail(f"expected log output never came: {missing}", pytrace=False)
