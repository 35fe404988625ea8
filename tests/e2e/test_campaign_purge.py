"""Through the CLI: the office closes the campaign, the roster bundle carries the purge
order, the laptop imports it and its database file no longer holds a resident's name or
phone; the office purges its own copy; every visit is still counted on both."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from gridapp.cli import main

pytestmark = pytest.mark.slow  # end to end (scripts/fast.sh leaves it out)


def cli(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> str:
    result = main(list(argv))
    out, err = capsys.readouterr()
    assert result == code, err
    return out if code == 0 else err


def file_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.glob("gridapp.db*")))


def a_resident(folder: Path) -> tuple[str, str, str]:
    """(household code, name, phone) of a resident whose name no one else has."""
    conn = sqlite3.connect(folder / "gridapp.db")
    try:
        row = conn.execute(
            """SELECT h.code, r.name, p.number FROM resident r
               JOIN household h ON h.id = r.household_id JOIN phone p ON p.resident_id = r.id
               WHERE length(r.name) >= 3
                 AND (SELECT count(*) FROM resident x WHERE x.name = r.name) = 1
               ORDER BY h.code LIMIT 1"""
        ).fetchone()
    finally:
        conn.close()
    return str(row[0]), str(row[1]), str(row[2])


def test_close_purge_order_and_office_purge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office, laptop = tmp_path / "office", tmp_path / "laptop"
    cli(capsys, "--data-dir", str(office), "demo", "--households", "300", "--seed", "4")
    cli(capsys, "--data-dir", str(laptop), "init", "--role", "field", "--name", "lap", "--plain")
    request = tmp_path / "request.json"
    cli(capsys, "--data-dir", str(laptop), "device", "request", "--out", str(request))
    first = tmp_path / "first.gsb"
    cli(capsys, "--data-dir", str(office), "device", "enroll", str(request),
        "--team", "1", "--out", str(first), "--allow-plain")  # fmt: skip
    cli(capsys, "--data-dir", str(laptop), "bundle", "import", str(first))
    code, name, phone = a_resident(laptop)
    assert name.encode() in file_bytes(laptop) and phone.encode() in file_bytes(laptop)
    found = json.loads(cli(capsys, "--data-dir", str(laptop), "household", "find", name, "--json"))
    assert [h["code"] for h in found["households"]] == [code]
    cli(capsys, "--data-dir", str(laptop), "visit", "record", "--household", code,
        "--worker", "W0101", "--outcome", "met", "--answers", '{"stance": "agree"}',
        "--notes", f"{name}反映电梯常坏")  # fmt: skip
    stats = {
        folder: json.loads(cli(capsys, "--data-dir", str(folder), "stats", "--json"))
        for folder in (office, laptop)
    }

    closed = json.loads(cli(capsys, "--data-dir", str(office), "campaign", "close", "--json"))
    assert closed["households"] == 300
    roster = tmp_path / "closed.gsb"
    cli(capsys, "--data-dir", str(office), "roster-bundle", "--team", "1", "--out", str(roster))
    cli(capsys, "--data-dir", str(laptop), "bundle", "import", str(roster))

    data = file_bytes(laptop)
    assert name.encode() not in data and phone.encode() not in data
    assert json.loads(cli(capsys, "--data-dir", str(laptop), "stats", "--json")) == stats[laptop]
    found = json.loads(cli(capsys, "--data-dir", str(laptop), "household", "find", name, "--json"))
    assert found["households"] == []
    assert "办公室" in cli(capsys, "--data-dir", str(laptop), "campaign", "purge", code=2)

    # The laptop's visit reaches the office; then the office purges its own copy.
    bundle = tmp_path / "work.gsb"
    cli(capsys, "--data-dir", str(laptop), "bundle", "export", "--out", str(bundle))
    cli(capsys, "--data-dir", str(office), "bundle", "import", str(bundle))
    merged = json.loads(cli(capsys, "--data-dir", str(office), "stats", "--json"))
    assert merged["visits"] == stats[office]["visits"] + 1
    dry = json.loads(
        cli(capsys, "--data-dir", str(office), "campaign", "purge", "--dry-run", "--json")
    )
    assert dry["dry_run"] and dry["phones"] > 0
    assert name.encode() in file_bytes(office)
    done = json.loads(
        cli(capsys, "--data-dir", str(office), "campaign", "purge", "--now", "--json")
    )
    assert (done["households"], done["phones"]) == (300, dry["phones"])
    assert json.loads(cli(capsys, "--data-dir", str(office), "stats", "--json")) == merged
    data = file_bytes(office)
    assert name.encode() not in data and phone.encode() not in data
    again = cli(capsys, "--data-dir", str(office), "campaign", "close", code=2)
    assert "已经结束" in again
