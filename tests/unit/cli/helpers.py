"""Shared by the command-line tests: run a command on a data folder as a script would."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridapp.cli import main


def run(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(folder), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str) -> str:
    code, out, err = run(capsys, folder, *argv)
    assert code == 0, err
    return out


def refused(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str) -> str:
    """Bad input: exit 2, nothing on stdout, one line on stderr."""
    code, out, err = run(capsys, folder, *argv)
    assert code == 2 and not out, (out, err)
    assert err.count("\n") == 1 and err.startswith("gridapp-cli: ")
    return err
