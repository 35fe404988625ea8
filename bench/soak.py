"""Crash soak: SIGKILL the app at random moments while it saves visits and imports
bundles, and check after every kill that nothing committed was lost.

    .venv/bin/python bench/soak.py [--kills N] [--seed S] [--json] [--keep DIR]
    .venv/bin/python bench/run.py --only soak [--kills N] [--seed S] [--json]

Two roles take turns, each a child process (bench/soak_child.py) opening a real data
folder through the app's services:
- the office records visits and imports sync bundles made beforehand by three field
  laptops (cumulative bundles, so each import adds what the previous one lacked);
- a field laptop records visits with answers, explanations and suggestions, saves
  drafts and exports sync bundles.

Each child is killed 20–400 ms after it says READY, so kills land inside
transactions. After each kill: `PRAGMA integrity_check` is `ok`; every visit (draft,
import) the child reported is there (it reports only after the call returned); per
laptop the office holds exactly the change-log entries 1..applied_seq, no visit beyond
them, and `_imported_bundle` agrees — an import applied all of its bundle or nothing;
every bundle the laptop wrote opens, verifies and decrypts whole.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHILD = Path(__file__).resolve().with_name("soak_child.py")
KILL_DELAY_S = (0.020, 0.400)
BUNDLE_LAPTOPS = 3  # three laptops make the office's bundles; a fourth is the field child
VISITS_PER_BUNDLE = 4  # each bundle repeats the ones before it and adds these


@dataclass
class Figures:
    kills: int = 0
    office_kills: int = 0
    field_kills: int = 0
    visits_reported: int = 0
    visits_verified: int = 0
    visits_lost: int = 0
    drafts_reported: int = 0
    drafts_lost: int = 0
    imports_completed: int = 0
    imports_committed_unreported: int = 0
    imports_rolled_back: int = 0
    partial_imports: int = 0
    bundles_exported: int = 0
    bundles_broken: int = 0
    integrity_failures: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.integrity_failures
            or self.visits_lost
            or self.drafts_lost
            or self.partial_imports
            or self.bundles_broken
        )


@dataclass(frozen=True)
class Bundle:
    name: str
    bundle_id: str
    device_id: str
    seq_to: int


@dataclass
class Setup:
    work: Path
    office: Path
    field: Path
    bundles: list[Bundle]
    #: Per bundle laptop: visit id → the seq of its insert.
    visit_seq: dict[str, dict[str, int]]


def _cli(*argv: str) -> None:
    from gridapp.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        code = main(list(argv))
    if code != 0:
        raise RuntimeError(f"gridapp-cli {' '.join(argv)} exited {code}")


def _busiest_teams(office: Path, count: int) -> list[int]:
    conn = sqlite3.connect(office / "gridapp.db")
    try:
        rows = conn.execute(
            """SELECT t.number FROM team t JOIN assignment a ON a.team_id = t.id
               JOIN household h ON h.building_id = a.building_id
               GROUP BY t.number ORDER BY count(*) DESC, t.number LIMIT ?""",
            [count],
        ).fetchall()
    finally:
        conn.close()
    return [int(r[0]) for r in rows]


def prepare(work: Path, bundles: int, seed: int) -> Setup:
    """An office with the demo, four enrolled laptops, and the three bundle laptops'
    cumulative bundles (each adds VISITS_PER_BUNDLE visits to the one before)."""
    from gridapp.services import Services
    from gridapp.services.visits import VisitInput
    from gridapp.storage.store import Store
    from gridapp.sync.container import BundleReader

    rng = random.Random(seed)
    office = work / "office"
    _cli("--data-dir", str(office), "demo", "--households", "200", "--seed", str(seed))
    teams = _busiest_teams(office, BUNDLE_LAPTOPS + 1)
    laptops = [work / f"lap{team}" for team in teams]
    for team, folder in zip(teams, laptops, strict=True):
        _cli(
            "--data-dir", str(folder), "init", "--role", "field", "--name", f"lap{team}", "--plain"
        )
        request, roster = work / f"lap{team}.json", work / f"lap{team}-roster.gsb"
        _cli("--data-dir", str(folder), "device", "request", "--out", str(request))
        _cli(
            "--data-dir", str(office), "device", "enroll", str(request),
            "--team", str(team), "--out", str(roster), "--allow-plain",
        )  # fmt: skip
        _cli("--data-dir", str(folder), "bundle", "import", str(roster))
    per_laptop = max(2, -(-bundles // BUNDLE_LAPTOPS))
    made: list[list[Bundle]] = []
    visit_seq: dict[str, dict[str, int]] = {}
    for team, folder in zip(teams[:BUNDLE_LAPTOPS], laptops[:BUNDLE_LAPTOPS], strict=True):
        services = Services(Store.open_in(folder))
        households = services.read.household_ids()
        item = services.read.policy_item_id("FEE-Q1")
        own: list[Bundle] = []
        for k in range(per_laptop):
            for _ in range(VISITS_PER_BUNDLE):
                services.visits.record(
                    VisitInput(
                        household_id=rng.choice(households),
                        worker_code=f"W{team:02d}01",
                        outcome="met",
                        people_met=1,
                        answers={"stance": "agree", "satisfaction": 4},
                        explained=((item, "understood"),),
                        suggestions=(("service", f"第{k}次建议"),),
                    )
                )
            path = work / "bundles" / f"lap{team}-{k:03d}.gsb"
            result = services.sync.export(path)
            with BundleReader(path) as reader:
                bundle_id = reader.unverified_manifest()["bundle_id"]
            device = services.store.require_device().device_id
            own.append(Bundle(path.name, bundle_id, device, result.seq_to))
        visit_seq[device] = {
            str(row[0]): int(row[1])
            for row in services.store.db.execute(
                "SELECT record_id, seq FROM change_log WHERE entity = 'visit' AND op = 'insert'"
            )
        }
        services.store.close()
        made.append(own)
    # Round robin over laptops, each laptop's bundles in order.
    ordered = [b for group in zip(*made, strict=True) for b in group]
    (work / "bundles.txt").write_text(
        "\n".join(str(work / "bundles" / b.name) for b in ordered) + "\n", encoding="utf-8"
    )
    (work / "office-worker.txt").write_text("W0101\n", encoding="utf-8")
    (work / "field-worker.txt").write_text(f"W{teams[-1]:02d}01\n", encoding="utf-8")
    (work / "exports").mkdir()
    return Setup(work, office, laptops[-1], ordered, visit_seq)


def _run_child(role: str, data_dir: Path, work: Path, seed: int, rng: random.Random) -> None:
    child = subprocess.Popen(
        [sys.executable, str(CHILD), role, str(data_dir), str(work), str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None and child.stderr is not None
    line = child.stdout.readline()
    if not line.startswith("READY"):
        child.wait(timeout=30)
        raise RuntimeError(f"{role} child never became ready: {child.stderr.read()[-2000:]}")
    time.sleep(rng.uniform(*KILL_DELAY_S))
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    if child.returncode != -signal.SIGKILL:
        # It died on its own before the kill: a bug in the app, not a crash test.
        raise RuntimeError(f"{role} child exited {child.returncode}: {child.stderr.read()[-2000:]}")
    child.stdout.close()
    child.stderr.close()


def _reported(path: Path) -> list[list[str]]:
    from bench.soak_child import reported

    return reported(path)


def check_office(setup: Setup, figures: Figures) -> None:
    conn = sqlite3.connect(setup.office / "gridapp.db")
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            figures.integrity_failures += 1
            figures.problems.append(f"office integrity after kill {figures.kills}")
            return
        lines = _reported(setup.work / "office-reported.txt")
        visits = {w[1] for w in lines if w[0] == "visit"}
        present = {r[0] for r in conn.execute("SELECT id FROM visit")}
        lost = visits - present
        figures.visits_lost += len(lost)
        figures.problems.extend(f"office lost visit {v}" for v in sorted(lost)[:5])
        imported = {r[0] for r in conn.execute("SELECT bundle_id FROM _imported_bundle")}
        by_name = {b.name: b for b in setup.bundles}
        done = {w[1] for w in lines if w[0] == "import"}
        begun = [w[1] for w in lines if w[0] == "begin"]
        missing = [n for n in done if by_name[n].bundle_id not in imported]
        figures.partial_imports += len(missing)
        figures.problems.extend(f"reported import {n} not recorded" for n in missing)
        figures.imports_completed = len(done)
        unreported = {n for n in begun if n not in done}
        figures.imports_committed_unreported = sum(
            by_name[n].bundle_id in imported for n in unreported
        )
        figures.imports_rolled_back = sum(
            1 for n in begun if n not in done and by_name[n].bundle_id not in imported
        )
        for device, seqs in setup.visit_seq.items():
            _check_device(conn, setup, device, seqs, imported, present, figures)
    finally:
        conn.close()


def _check_device(
    conn: sqlite3.Connection,
    setup: Setup,
    device: str,
    seqs: dict[str, int],
    imported: set[str],
    present: set[str],
    figures: Figures,
) -> None:
    """All or nothing: the log holds exactly 1..applied_seq, which is the end of the last
    imported bundle, and the visits are those entries' visits."""
    row = conn.execute(
        "SELECT applied_seq FROM _sync_peer WHERE device_id = ?", [device]
    ).fetchone()
    applied = int(row[0]) if row else 0
    count, top = conn.execute(
        "SELECT count(*), COALESCE(max(seq), 0) FROM change_log WHERE device_id = ?", [device]
    ).fetchone()
    ends = [b.seq_to for b in setup.bundles if b.device_id == device and b.bundle_id in imported]
    problems = []
    if count != applied or top != applied:
        problems.append(f"{device}: log {count} entries up to {top}, applied_seq {applied}")
    if max(ends, default=0) != applied:
        problems.append(f"{device}: imported bundles end at {max(ends, default=0)} != {applied}")
    inside = {v for v, s in seqs.items() if s <= applied}
    if inside - present or (set(seqs) - inside) & present:
        problems.append(f"{device}: visits do not match applied_seq {applied}")
    figures.partial_imports += bool(problems)
    figures.problems.extend(problems)


def check_field(setup: Setup, figures: Figures, verified: set[str]) -> None:
    from gridapp.storage.store import Store
    from gridapp.sync.container import BundleReader, BundleRefused
    from gridapp.sync.crypto import DeviceKeys, PublicKeys

    conn = sqlite3.connect(setup.field / "gridapp.db")
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            figures.integrity_failures += 1
            figures.problems.append(f"field integrity after kill {figures.kills}")
            return
        lines = _reported(setup.work / "field-reported.txt")
        visits = {w[1] for w in lines if w[0] == "visit"}
        lost = visits - {r[0] for r in conn.execute("SELECT id FROM visit")}
        figures.visits_lost += len(lost)
        figures.problems.extend(f"field lost visit {v}" for v in sorted(lost)[:5])
        drafts = {w[1] for w in lines if w[0] == "draft"}
        lost_drafts = drafts - {r[0] for r in conn.execute("SELECT id FROM _draft")}
        figures.drafts_lost += len(lost_drafts)
        figures.drafts_reported = len(drafts)
        laptop = conn.execute("SELECT device_id FROM _local_device").fetchone()[0]
    finally:
        conn.close()
    fresh = sorted(p for p in (setup.work / "exports").glob("*.gsb") if p.name not in verified)
    if not fresh:
        return
    office = Store.open_in(setup.office)
    try:
        keys = DeviceKeys.of(office.require_device())
        row = office.db.execute(
            "SELECT sign_public_key, box_public_key FROM device WHERE id = ?", [laptop]
        ).fetchone()
    finally:
        office.close()
    signer = PublicKeys(laptop, row[0], row[1])
    for path in fresh:
        verified.add(path.name)
        figures.bundles_exported += 1
        try:
            with BundleReader(path) as reader:
                _, manifest = reader.verify([signer])
                for _ in reader.records(manifest, keys):
                    pass
        except BundleRefused as exc:
            figures.bundles_broken += 1
            figures.problems.append(f"exported bundle {path.name}: {exc.reason}")


def run(kills: int = 200, seed: int = 1, keep: Path | None = None) -> Figures:
    started = time.perf_counter()
    work = keep or Path(tempfile.mkdtemp(prefix="gridapp-soak-"))
    try:
        setup = prepare(work, max(6, kills), seed)
        rng = random.Random(seed)
        figures = Figures()
        verified: set[str] = set()
        for n in range(kills):
            role = "office" if n % 2 == 0 else "field"
            folder = setup.office if role == "office" else setup.field
            _run_child(role, folder, work, seed * 100_003 + n, rng)
            figures.kills += 1
            if role == "office":
                figures.office_kills += 1
                check_office(setup, figures)
            else:
                figures.field_kills += 1
                check_field(setup, figures, verified)
        for role in ("office", "field"):
            lines = _reported(work / f"{role}-reported.txt")
            figures.visits_reported += sum(w[0] == "visit" for w in lines)
        figures.visits_verified = figures.visits_reported - figures.visits_lost
        figures.seconds = round(time.perf_counter() - started, 1)
        return figures
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def print_figures(figures: Figures, as_json: bool) -> None:
    if as_json:
        print(json.dumps({**asdict(figures), "ok": figures.ok}, ensure_ascii=False, indent=2))
        return
    rows: list[tuple[str, Any]] = [
        (
            "kills (office / field)",
            f"{figures.kills} ({figures.office_kills} / {figures.field_kills})",
        ),
        ("visits reported / verified", f"{figures.visits_reported} / {figures.visits_verified}"),
        ("visits lost", figures.visits_lost),
        ("drafts reported / lost", f"{figures.drafts_reported} / {figures.drafts_lost}"),
        ("imports completed", figures.imports_completed),
        ("imports committed, killed before reporting", figures.imports_committed_unreported),
        ("imports rolled back by a kill", figures.imports_rolled_back),
        ("partial imports", figures.partial_imports),
        ("bundles exported / broken", f"{figures.bundles_exported} / {figures.bundles_broken}"),
        ("integrity failures", figures.integrity_failures),
        ("total time", f"{figures.seconds} s"),
    ]
    for label, value in rows:
        print(f"{label:<44} {value}")
    for problem in figures.problems[:20]:
        print(f"PROBLEM {problem}")
    print("soak: ok" if figures.ok else "soak: FAILED")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", help="work in this (empty) folder and keep it")
    args = parser.parse_args(argv)
    figures = run(args.kills, args.seed, Path(args.keep) if args.keep else None)
    print_figures(figures, args.json)
    return 0 if figures.ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
