"""A week of sync through the CLI of CLI.md: an office and three laptops in separate data
folders; bundles imported shuffled and twice; two delivery orders, one database."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from gridapp.cli import main
from gridapp.storage.schema import SYNCED_TABLES

pytestmark = pytest.mark.slow  # end to end (scripts/fast.sh leaves it out)

COUNTS = (
    "visits",
    "households_visited",
    "consultations",
    "online_answers",
    "policy_explanations",
    "suggestions",
    "callbacks_open",
)


def cli(capsys: pytest.CaptureFixture[str], *argv: str, ok: bool = True) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    if ok:
        assert code == 0, err
    return out


def stats(capsys: pytest.CaptureFixture[str], folder: Path) -> dict[str, int]:
    return dict(json.loads(cli(capsys, "--data-dir", str(folder), "stats", "--json")))


def households(capsys: pytest.CaptureFixture[str], folder: Path) -> list[dict[str, object]]:
    out = cli(capsys, "--data-dir", str(folder), "household", "list", "--json")
    return list(json.loads(out)["households"])


def snapshot(folder: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(folder / "gridapp.db")
    try:
        tables = {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in SYNCED_TABLES
        }
        tables["change_log"] = conn.execute(
            "SELECT * FROM change_log ORDER BY device_id, seq"
        ).fetchall()
        tables["_quarantine"] = conn.execute(
            "SELECT device_id, seq, reason FROM _quarantine ORDER BY device_id, seq"
        ).fetchall()
        tables["_sync_peer"] = conn.execute(
            "SELECT device_id, applied_seq FROM _sync_peer ORDER BY device_id"
        ).fetchall()
        return tables
    finally:
        conn.close()


def delta(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in COUNTS}


def test_a_week_of_bundles_in_any_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    office = tmp_path / "office"
    cli(capsys, "--data-dir", str(office), "demo", "--households", "800", "--seed", "9")
    laptops = {name: tmp_path / name for name in ("lap1", "lap2", "lap3")}
    for team, (name, folder) in enumerate(laptops.items(), start=1):
        cli(capsys, "--data-dir", str(folder), "init", "--role", "field", "--name", name, "--plain")
        request = tmp_path / f"{name}.json"
        cli(capsys, "--data-dir", str(folder), "device", "request", "--out", str(request))
        roster = tmp_path / f"{name}-roster.gsb"
        cli(
            capsys,
            "--data-dir",
            str(office),
            "device",
            "enroll",
            str(request),
            "--team",
            str(team),
            "--out",
            str(roster),
            "--allow-plain",
        )
        assert "已应用" in cli(capsys, "--data-dir", str(folder), "bundle", "import", str(roster))
    before = {name: stats(capsys, folder) for name, folder in laptops.items()}
    # A laptop holds its own team's households only (PIPL).
    codes = {name: {str(h["code"]) for h in households(capsys, f)} for name, f in laptops.items()}
    assert codes["lap1"] and not codes["lap1"] & codes["lap2"]

    def visit(name: str, index: int, outcome: str, *extra: str) -> str:
        folder = laptops[name]
        code = sorted(codes[name])[index]
        worker = f"W{list(laptops).index(name) + 1:02d}01"
        out = cli(
            capsys,
            "--data-dir",
            str(folder),
            "visit",
            "record",
            "--household",
            code,
            "--worker",
            worker,
            "--outcome",
            outcome,
            "--at",
            "2023-12-10T19:30:00+08:00",
            "--json",
            *extra,
        )
        return str(json.loads(out)["visit_id"])

    answers = ["--answers", '{"stance": "oppose", "reasons": ["history"], "satisfaction": 2}']
    bundles: list[Path] = []

    def export(name: str, label: str) -> Path:
        path = tmp_path / f"{name}-{label}.gsb"
        cli(capsys, "--data-dir", str(laptops[name]), "bundle", "export", "--out", str(path))
        bundles.append(path)
        return path

    # lap1: two exports without an acknowledgement between: the second repeats the first.
    visit("lap1", 0, "met", *answers, "--explained", "FEE-Q1:doubts", "--suggestion", "fee:分期")
    visit("lap1", 1, "not_home")
    export("lap1", "a")
    visit("lap1", 2, "met", *answers)
    cli(
        capsys,
        "--data-dir",
        str(laptops["lap1"]),
        "online-answer",
        "add",
        "--worker",
        "W0101",
        "--channel",
        "wechat",
        "--question",
        "何时开会？",
        "--answer",
        "月底。",
    )
    export("lap1", "b")
    # lap2: the office confirms its first bundle, so its second starts after it.
    visit("lap2", 0, "met", *answers)
    first = export("lap2", "a")
    base = stats(capsys, office)  # before any laptop's work reaches the office
    assert "已应用" in cli(capsys, "--data-dir", str(office), "bundle", "import", str(first))
    ack = tmp_path / "lap2-ack.gsb"
    cli(capsys, "--data-dir", str(office), "roster-bundle", "--team", "2", "--out", str(ack))
    cli(capsys, "--data-dir", str(laptops["lap2"]), "bundle", "import", str(ack))
    visit("lap2", 1, "refused")
    visit("lap2", 2, "appointment")
    export("lap2", "b")
    # lap3: a visit corrected, one voided.
    wrong = visit("lap3", 0, "met")
    cli(
        capsys,
        "--data-dir",
        str(laptops["lap3"]),
        "visit",
        "void",
        wrong,
        "--reason",
        "录错住户",
    )
    visit("lap3", 1, "met", *answers, "--explained", "FEE-Q5:understood")
    lap3_a = export("lap3", "a")
    # Another office copy confirms lap3's first bundle: lap3's next bundle starts after
    # it, so delivered first it must wait (held) for the missing one.
    scratch = tmp_path / "scratch-office"
    shutil.copytree(office, scratch)
    cli(capsys, "--data-dir", str(scratch), "bundle", "import", str(lap3_a))
    ack3 = tmp_path / "lap3-ack.gsb"
    cli(capsys, "--data-dir", str(scratch), "roster-bundle", "--team", "3", "--out", str(ack3))
    cli(capsys, "--data-dir", str(laptops["lap3"]), "bundle", "import", str(ack3))
    visit("lap3", 2, "not_home")
    lap3_b = export("lap3", "b")

    recorded = {name: delta(stats(capsys, f), before[name]) for name, f in laptops.items()}

    orders = []
    for seed in (1, 2):
        files = bundles * 2
        random.Random(seed).shuffle(files)
        orders.append(files)
    # One order delivers lap3's second bundle before its first.
    orders[0].remove(lap3_b)
    orders[0].insert(0, lap3_b)
    orders[1].remove(lap3_a)
    orders[1].insert(0, lap3_a)
    assert orders[0] != orders[1]
    results = []
    for n, files in enumerate(orders):
        copy = tmp_path / f"office-{n}"
        shutil.copytree(office, copy)
        out = cli(capsys, "--data-dir", str(copy), "bundle", "import", *map(str, files), "--json")
        results.append(json.loads(out)["results"])
        merged = delta(stats(capsys, copy), base)
        assert merged == {k: sum(recorded[name][k] for name in laptops) for k in COUNTS}
        assert merged["visits"] > 0 and merged["online_answers"] == 1
    statuses = [sorted(r["status"] for r in result) for result in results]
    assert all("refused" not in s for s in statuses)
    assert results[0][0]["status"] == "held"
    assert all(s.count("already") >= len(bundles) for s in statuses)
    assert snapshot(tmp_path / "office-0") == snapshot(tmp_path / "office-1")
