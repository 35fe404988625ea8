"""The suite's own guards: a warning or error in the log fails the test that logged it
(tests/conftest.py), and the private CUPS scheduler of the printing tests leaves nothing
behind (tests/private_cups.py)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.private_cups import CUPS_PDF_CONF, private_cups

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]

INNER_TESTS = """
import logging

import pytest

log = logging.getLogger("gridapp.inner")


def test_a_warning_fails():
    log.warning("disk nearly full")


def test_an_error_fails():
    log.error("could not save %s", "draft")


def test_info_is_fine():
    log.info("all well")


@pytest.mark.expected_log("a stale lock", r"^retrying \\d+$")
def test_a_marked_warning_passes():
    log.warning("removed a stale lock")
    log.warning("retrying 3")


@pytest.mark.expected_log("a stale lock")
def test_a_marked_warning_that_never_comes_fails():
    pass


@pytest.mark.expected_log("a stale lock")
def test_an_unmarked_warning_beside_a_marked_one_fails():
    log.warning("removed a stale lock")
    log.warning("and something else")


def test_a_failing_test_fails_once():
    log.warning("before the crash")
    raise AssertionError("its own failure")


@pytest.fixture
def noisy_teardown():
    yield
    log.warning("closing with a leak")


def test_a_warning_in_teardown_is_an_error(noisy_teardown):
    pass
"""


def test_warnings_and_errors_in_the_log_fail_the_test(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from tests.conftest import (  # noqa: F401\n"
        "    pytest_runtest_call, pytest_runtest_setup, pytest_runtest_teardown)\n"
        "def pytest_configure(config):\n"
        "    config.addinivalue_line('markers', 'expected_log(*regex): expected')\n"
    )
    pytester.makepyfile(test_inner=INNER_TESTS)
    result = pytester.runpytest_subprocess(
        "-p", "no:randomly", "-p", "no:cacheprovider", "--strict-markers", "-rA"
    )
    # A test with an error at teardown counts as passed (its call) and as an error.
    result.assert_outcomes(passed=4, failed=4, errors=2)
    outcomes = {
        (line.split(" ")[0], line.split(" ")[1].split("::")[-1])
        for line in result.outlines
        if line.startswith(("PASSED ", "FAILED ", "ERROR ")) and "::" in line
    }
    assert outcomes == {
        ("FAILED", "test_a_warning_fails"),
        ("FAILED", "test_an_error_fails"),
        ("PASSED", "test_info_is_fine"),
        ("PASSED", "test_a_marked_warning_passes"),
        ("PASSED", "test_a_marked_warning_that_never_comes_fails"),  # checked at the end:
        ("ERROR", "test_a_marked_warning_that_never_comes_fails"),  # teardown may log it
        ("FAILED", "test_an_unmarked_warning_beside_a_marked_one_fails"),
        ("FAILED", "test_a_failing_test_fails_once"),  # once: no teardown error after it
        ("PASSED", "test_a_warning_in_teardown_is_an_error"),  # its call passed…
        ("ERROR", "test_a_warning_in_teardown_is_an_error"),  # …its teardown did not
    }
    text = result.stdout.str()
    assert "WARNING gridapp.inner: disk nearly full" in text
    assert "ERROR gridapp.inner: could not save draft" in text
    assert "WARNING gridapp.inner: and something else" in text
    assert "expected log output never came: ['a stale lock']" in text
    assert "unexpected log output during teardown" in text
    assert "its own failure" in text


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in command:
            found.append(f"{proc.name}: {command}")
    return found


def _system_queues() -> str:
    env = {k: v for k, v in os.environ.items() if k != "CUPS_SERVER"}
    done = subprocess.run(["lpstat", "-v"], env=env, capture_output=True, text=True)
    return done.stdout


@pytest.mark.slow  # a scheduler of its own
def test_the_private_cups_leaves_nothing_behind() -> None:
    queue = f"gridapp-hygiene-{os.getpid()}"
    pdf_conf = CUPS_PDF_CONF.read_bytes() if CUPS_PDF_CONF.exists() else b""
    with private_cups() as cups:
        cups.add_pdf_queue(queue)
        assert queue in cups.run("lpstat", "-v").stdout
        assert [p for p in _processes_mentioning("cupsd") if str(cups.root) in p]
        # the scheduler's cups-pdf.conf is its own; everyone else still sees the system's
        if CUPS_PDF_CONF.exists():
            assert CUPS_PDF_CONF.read_bytes() == pdf_conf
        assert queue not in _system_queues()
        root, process = cups.root, cups.process
    assert process.returncode is not None
    assert not Path(f"/proc/{process.pid}").exists() or process.pid not in _cupsd_pids()
    assert not root.exists()
    assert _processes_mentioning(str(root)) == []
    assert queue not in _system_queues()


def _cupsd_pids() -> set[int]:
    return {int(line.split(":")[0]) for line in _processes_mentioning("cupsd")}
