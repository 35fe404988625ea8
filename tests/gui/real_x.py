"""A real X server for the tests that must see what a user's keyboard does.

Offscreen pytest-qt sends events straight to widgets; a real screen delivers each key
and click to a *window* first. A test that only ever ran offscreen passed while the
lock screen swallowed every real key. Here: a private Xvfb (it picks a free display
itself, `-displayfd`), the app in its own process on Qt's xcb platform, and xdotool
typing through XTEST, as a keyboard would. scripts/setup.sh installs both programs.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

ROOT = Path(__file__).resolve().parents[2]
NEEDED = ("Xvfb", "xdotool")
T = TypeVar("T")


@dataclass
class XServer:
    display: str

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND"))}
        return {**env, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb"}

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=30
        )
        if done.returncode != 0 and done.stderr.strip():
            raise AssertionError(f"xdotool {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout.strip()

    def windows(self, name: str) -> list[str]:
        """Visible windows whose title matches the regular expression `name`."""
        found = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", name],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        return found.stdout.split()  # exit 1 with nothing found is fine

    def title(self, window: str) -> str:
        return self.xdotool("getwindowname", window)

    def find(self, part: str) -> str | None:
        """The first visible window whose title contains `part` (plain text, no pattern)."""
        for window in self.windows("."):
            with contextlib.suppress(AssertionError):  # gone between the search and now
                if part in self.title(window):
                    return window
        return None

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        """x, y, width, height of a window on the screen."""
        shell = self.xdotool("getwindowgeometry", "--shell", window)
        values = dict(line.split("=", 1) for line in shell.splitlines() if "=" in line)
        return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])

    def click(self, window: str, x: int, y: int, button: int = 1) -> None:
        """A real mouse click at (x, y) inside `window` (button 4/5: the wheel)."""
        self.xdotool("mousemove", "--window", window, str(x), str(y), "click", str(button))

    def type(self, text: str, window: str | None = None) -> None:
        """Each character as a real key press: into `window` (given the keyboard focus
        first), or wherever the focus is (where the app itself put it)."""
        if window is not None:
            self.xdotool("windowfocus", "--sync", window)
        self.xdotool("type", "--delay", "40", text)

    def key(self, *keys: str, window: str | None = None) -> None:
        if window is not None:
            self.xdotool("windowfocus", "--sync", window)
        self.xdotool("key", "--delay", "40", *keys)

    def screenshot(self, path: Path) -> None:
        """The whole screen as PNG, through Qt on this display (no ImageMagick needed)."""
        script = (
            "import sys\nfrom PySide6.QtGui import QGuiApplication\n"
            "app = QGuiApplication([])\n"
            "sys.exit(0 if app.primaryScreen().grabWindow(0).save(sys.argv[1]) else 1)\n"
        )
        subprocess.run(
            [sys.executable, "-c", script, str(path)], env=self.env, timeout=60, check=True
        )


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = 30.0) -> T:
    """Poll `probe` until it returns something truthy; fail saying what never happened."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


@contextlib.contextmanager
def running_xvfb(screen: str = "1280x800x24") -> Iterator[XServer]:
    """A private Xvfb for the block (`screen`: width x height x depth); fails (on Linux)
    when setup.sh has not run."""
    missing = [tool for tool in NEEDED if shutil.which(tool) is None]
    if missing:
        if not sys.platform.startswith("linux"):
            pytest.skip(f"needs an X server and xdotool ({', '.join(missing)} missing)")
        pytest.fail(f"{', '.join(missing)} missing: run scripts/setup.sh (apt: xvfb xdotool)")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", screen, "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            number = pipe.readline().decode("ascii").strip()  # written once it listens
        if not re.fullmatch(r"\d+", number):
            raise AssertionError(f"Xvfb did not start (exit {server.poll()})")
        yield XServer(f":{number}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
