"""Through the CLI: a building moves from team 1 to team 2 mid-week. Team 1's laptop
lets go of it with its next roster bundle (no resident's name or phone left anywhere in
its folder, backups included), except a household with a visit the office has not yet
received, which stays until the office has it and counts it; team 2's laptop receives
the building; a worker moved or retired leaves team 1's list; when the building comes
back, so do its names. And after `campaign close`, no backup keeps a name either."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from gridapp.cli import main
from gridapp.services import session as session_module
from gridapp.services.backup import known_schemas
from gridapp.storage import backup
from gridapp.trust.crypto import FAST


def cli(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> str:
    result = main(list(argv))
    out, err = capsys.readouterr()
    assert result == code, err
    return out if code == 0 else err


def folder_bytes(folder: Path) -> bytes:
    """Every file of the data folder: the database, its -wal and -shm, backups, logs."""
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def rows(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def secrets_of(office: Path, where: str, *params: object) -> dict[str, set[bytes]]:
    """Per household id: its residents' names and phones as UTF-8, those no one outside
    these households shares (a resident of another building, a worker)."""
    db = office / "gridapp.db"
    found: dict[str, set[bytes]] = {}
    for household, name, number in rows(
        db,
        f"""SELECT h.id, r.name, p.number FROM household h JOIN resident r
            ON r.household_id = h.id LEFT JOIN phone p ON p.resident_id = r.id WHERE {where}""",
        *params,
    ):
        values = found.setdefault(str(household), set())
        if isinstance(name, str) and len(name) >= 2:
            others = rows(
                db,
                f"""SELECT count(*) FROM resident r JOIN household h ON h.id = r.household_id
                    WHERE r.name = ? AND NOT ({where})""",
                name,
                *params,
            )[0][0]
            workers = rows(db, "SELECT count(*) FROM worker WHERE name = ?", name)[0][0]
            if others == 0 and workers == 0:
                values.add(name.encode())
        if number:
            values.add(str(number).encode())
    return found


def enrol(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    office: Path,
    name: str,
    team: int,
    at_rest: str = "--plain",
) -> Path:
    """`at_rest`: `--plain`, or `--worker=A0001` for an encrypted database (the CLI then
    signs in as A0001 with GRIDAPP_PIN)."""
    laptop = tmp_path / name
    cli(capsys, "--data-dir", str(laptop), "init", "--role", "field", "--name", name, at_rest)
    request = tmp_path / f"{name}.json"
    cli(capsys, "--data-dir", str(laptop), "device", "request", "--out", str(request))
    first = tmp_path / f"{name}-first.gsb"
    cli(capsys, "--data-dir", str(office), "device", "enroll", str(request),
        "--team", str(team), "--out", str(first), "--allow-plain")  # fmt: skip
    cli(capsys, "--data-dir", str(laptop), "bundle", "import", str(first))
    return laptop


def roster(capsys: pytest.CaptureFixture[str], office: Path, laptop: Path, team: int) -> None:
    path = laptop.parent / f"{laptop.name}-roster-{len(list(laptop.parent.glob('*.gsb')))}.gsb"
    cli(capsys, "--data-dir", str(office), "roster-bundle", "--team", str(team), "--out", str(path))
    assert "已应用" in cli(capsys, "--data-dir", str(laptop), "bundle", "import", str(path))


def households_in(capsys: pytest.CaptureFixture[str], laptop: Path, codes: list[str]) -> list[str]:
    """Which of these household codes the laptop holds (read through the CLI: the
    database may be encrypted)."""
    out = cli(capsys, "--data-dir", str(laptop), "household", "list", "--json")
    held = {str(h["code"]) for h in json.loads(out)["households"]}
    return sorted(set(codes) & held)


def active_workers(capsys: pytest.CaptureFixture[str], laptop: Path) -> set[str]:
    out = cli(capsys, "--data-dir", str(laptop), "worker", "list", "--json")
    return {str(w["code"]) for w in json.loads(out)["workers"]}


@pytest.fixture(params=["--plain", "--worker=A0001"], ids=["plain", "encrypted"])
def at_rest(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(session_module, "KDF_PARAMS", FAST)
    monkeypatch.setenv("GRIDAPP_WORKER", "A0001")  # plain folders ignore it
    monkeypatch.setenv("GRIDAPP_PIN", "246813")
    return str(request.param)


def test_a_building_moves_to_another_team_and_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], at_rest: str
) -> None:
    office = tmp_path / "office"
    cli(capsys, "--data-dir", str(office), "demo", "--households", "300", "--seed", "4")
    lap1 = enrol(capsys, tmp_path, office, "lap1", 1, at_rest)
    lap2 = enrol(capsys, tmp_path, office, "lap2", 2)
    plain = at_rest == "--plain"
    building, code = (
        str(v)
        for v in rows(
            office / "gridapp.db",
            """SELECT a.building_id, (SELECT min(code) FROM household h
                   WHERE h.building_id = a.building_id)
               FROM assignment a JOIN team t ON t.id = a.team_id WHERE t.number = 1
               ORDER BY a.building_id LIMIT 1""",
        )[0]
    )
    listed = rows(
        office / "gridapp.db", "SELECT code FROM household WHERE building_id = ?", building
    )
    moving = sorted(str(r[0]) for r in listed)
    secrets = secrets_of(office, "h.building_id = ?", building)
    assert len(moving) == 24 and households_in(capsys, lap1, moving) == moving
    assert households_in(capsys, lap2, moving) == []
    visited = str(
        rows(office / "gridapp.db", "SELECT id FROM household WHERE code = ?", code)[0][0]
    )
    away = {s for h, values in secrets.items() if h != visited for s in values}
    assert len(away) >= 40 and all(s in folder_bytes(lap1) for s in away) == plain
    assert {"W0102", "W0103"} <= active_workers(capsys, lap1)

    # Team 1 visits a household of the building; the bundle has not gone yet.
    name = sorted(secrets[visited], key=len)[-1].decode()
    cli(capsys, "--data-dir", str(lap1), "visit", "record", "--household", code,
        "--worker", "W0101", "--outcome", "met", "--notes", f"{name}说楼道灯坏了")  # fmt: skip
    before = json.loads(cli(capsys, "--data-dir", str(office), "stats", "--json"))

    # The office moves the building to team 2, one worker too, and retires another.
    assign = ("--data-dir", str(office), "assign", "--team", "2", "--building", building)
    moved = json.loads(cli(capsys, *assign, "--json"))
    assert moved["moved"] == 1
    cli(capsys, "--data-dir", str(office), "worker", "move", "W0103", "--team", "2")
    cli(capsys, "--data-dir", str(office), "worker", "retire", "W0102")
    roster(capsys, office, lap1, 1)

    # Gone, but for the household with unsent work (and its visit).
    assert households_in(capsys, lap1, moving) == [code]
    data = folder_bytes(lap1)
    assert not [s for s in away if s in data]
    assert (name.encode() in data) == plain
    assert active_workers(capsys, lap1) == {"W0101"}
    audit = cli(capsys, "--data-dir", str(lap1), "audit", "--action", "roster_erased", "--json")
    detail = json.loads(audit)["entries"][-1]["detail"]
    erased = (detail["households"], detail["residents"], detail["phones"], detail["kept"])
    assert erased == (23, 53, 44, 1)  # of 24 households, 55 residents, 45 phones

    # The visit reaches the office and counts there (the team held it when it was made).
    bundle = tmp_path / "lap1-work.gsb"
    cli(capsys, "--data-dir", str(lap1), "bundle", "export", "--out", str(bundle))
    assert "已应用" in cli(capsys, "--data-dir", str(office), "bundle", "import", str(bundle))
    after = json.loads(cli(capsys, "--data-dir", str(office), "stats", "--json"))
    assert after["visits"] == before["visits"] + 1

    # The next roster acknowledges it: the last household goes, its name from the log too.
    roster(capsys, office, lap1, 1)
    assert households_in(capsys, lap1, moving) == []
    audit = cli(capsys, "--data-dir", str(lap1), "audit", "--action", "roster_erased", "--json")
    counts = {
        (d["households"], d["residents"], d["phones"], d["kept"], d["workers"])
        for d in (e["detail"] for e in json.loads(audit)["entries"])
    }
    assert counts == {(23, 53, 44, 1, 1), (1, 2, 1, 0, 0)}
    data = folder_bytes(lap1)
    everything = {s for values in secrets.values() for s in values}
    assert not [s for s in everything if s in data]
    assert not list((lap1 / "backups").glob("gridapp-pre-import-*"))
    # Team 1 had one building: its laptop's navigator has no place left to show.
    left = json.loads(cli(capsys, "--data-dir", str(lap1), "stats", "--json"))
    assert (left["compounds"], left["households"]) == (0, 0)

    # Team 2's laptop receives the building, the visit and the worker.
    roster(capsys, office, lap2, 2)
    assert households_in(capsys, lap2, moving) == moving
    data = folder_bytes(lap2)
    assert all(s in data for s in everything)
    assert "W0103" in active_workers(capsys, lap2)
    count = "SELECT count(*) FROM visit WHERE household_id = ?"
    assert rows(lap2 / "gridapp.db", count, visited) == rows(office / "gridapp.db", count, visited)

    # The building comes back to team 1: its names come back with it.
    cli(capsys, "--data-dir", str(office), "assign", "--team", "1", "--building", building)
    roster(capsys, office, lap1, 1)
    assert households_in(capsys, lap1, moving) == moving
    data = folder_bytes(lap1)
    assert all(s in data for s in everything) == plain


def test_after_campaign_close_no_backup_keeps_a_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office = tmp_path / "office"
    cli(capsys, "--data-dir", str(office), "demo", "--households", "300", "--seed", "4")
    lap1 = enrol(capsys, tmp_path, office, "lap1", 1)
    roster(capsys, office, lap1, 1)  # its pre-import backup holds every name
    secrets = secrets_of(
        office,
        "h.building_id IN (SELECT building_id FROM assignment a JOIN team t"
        " ON t.id = a.team_id WHERE t.number = ?)",
        1,
    )
    everything = {s for values in secrets.values() for s in values}
    assert len(everything) >= 40
    backups = lap1 / "backups"
    assert all(s in b"".join(p.read_bytes() for p in backups.glob("*.db")) for s in everything)

    cli(capsys, "--data-dir", str(office), "campaign", "close")
    roster(capsys, office, lap1, 1)
    data = folder_bytes(lap1)
    assert not [s for s in everything if s in data]
    # What remains is one fresh backup that passes the restore checks.
    left = sorted(backups.glob("*.db"))
    assert len(left) == 1
    identity = backup.load_identity(backups)
    assert identity is not None
    assert backup.check(left[0], identity, known_schemas())["kind"] == "daily"

    # The office purges its own copy later: its backups go the same way.
    assert all(s in folder_bytes(office / "backups") for s in everything)
    cli(capsys, "--data-dir", str(office), "campaign", "purge", "--now")
    data = folder_bytes(office)
    assert not [s for s in everything if s in data]
