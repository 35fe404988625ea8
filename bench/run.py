"""Runs every benchmark; per figure prints the measured value, the baseline measured in
the same run, and their ratio against the goal.

    .venv/bin/python bench/run.py [--repeat N] [--households N] [--keep DIR]

Start-up: wall time from spawning the process to its first idle moment with the
window shown (the process prints READY then), `gridapp --demo` on a ready-built
2,000-household demo vs a bare PySide6 QMainWindow process. Memory: resident set
size at that moment, gridapp on the 100,000-household demo vs the bare window.
Both run with QT_QPA_PLATFORM=offscreen so no display server is measured.

`--only soak [--kills N] [--seed S] [--json]` runs the SIGKILL crash soak instead
(bench/soak.py): figures, not ratios, and a non-zero exit if anything was lost.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench import (  # noqa: E402
    backup_bench,
    dashboard_bench,
    field_bench,
    forms_bench,
    office_bench,
    paper_bench,
    report_bench,
    roster_bench,
    search_bench,
    soak,
    sync_bench,
    trust_bench,
)

BIN = Path(sys.executable).parent
GROUPS = (
    "startup",
    "sync",
    "search",
    "paper",
    "field",
    "backup",
    "office",
    "report",
    "dashboard",
    "soak",
    "trust",
    "roster",
    "forms",
)


@dataclass(frozen=True)
class Sample:
    wall_ms: float
    rss_kb: int


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _spawn(argv: list[str]) -> Sample:
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=_env()
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("READY"):
            wall = (time.perf_counter() - start) * 1000
            rss = int(line.split()[3])
            proc.wait(timeout=60)
            return Sample(wall, rss)
    proc.wait(timeout=60)
    raise RuntimeError(f"{argv[0]} never became ready (exit {proc.returncode})")


def _median(samples: list[Sample]) -> Sample:
    return Sample(
        statistics.median(s.wall_ms for s in samples),
        int(statistics.median(s.rss_kb for s in samples)),
    )


def _build_demo(data_dir: Path, households: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            str(BIN / "gridapp-cli"),
            "--data-dir",
            str(data_dir),
            "demo",
            "--households",
            str(households),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        env=_env(),
    )
    return time.perf_counter() - start


def _row(
    name: str, value: float, baseline: float, unit: str, goal: float, lower_is_better: bool = True
) -> str:
    ratio = value / baseline if baseline else float("inf")
    good = ratio <= goal if lower_is_better else ratio >= goal
    verdict = "ok" if good else "MISSES GOAL"
    sign = "≤" if lower_is_better else "≥"
    return (
        f"{name:<52} {value:>10.0f} {unit:<3} baseline {baseline:>8.0f} {unit:<3} "
        f"ratio {ratio:>5.2f}× (goal {sign} {goal:g}×) {verdict}"
    )


def _demo_folder(keep: str | None, households: int, group: str) -> Path:
    """A demo office of `households` (built once per --keep folder, else in a temp one)."""
    root = Path(keep) if keep else Path(tempfile.mkdtemp(prefix=f"gridapp-{group}-"))
    folder = root / f"demo{households}"
    if not (folder / "gridapp.db").exists():
        print(f"built the demo in {_build_demo(folder, households):.1f} s", flush=True)
    return folder


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--keep", help="reuse/keep demo databases in this folder")
    parser.add_argument(
        "--only",
        choices=GROUPS,
        help="run one group (soak, the SIGKILL crash soak, runs only when named)",
    )
    parser.add_argument("--kills", type=int, default=200, help="soak: SIGKILLs to deliver")
    parser.add_argument("--seed", type=int, default=1, help="soak: random seed")
    parser.add_argument("--json", action="store_true", help="soak: figures as JSON")
    parser.add_argument("--changes", type=int, default=100_000, help="sync: changes to merge")
    parser.add_argument("--visits", type=int, default=200_000, help="dashboard: visits")
    parser.add_argument("--roster-rows", type=int, default=100_000, help="roster: rows to import")
    args = parser.parse_args()
    if args.only == "soak":
        figures = soak.run(args.kills, args.seed, Path(args.keep) if args.keep else None)
        soak.print_figures(figures, args.json)
        return 0 if figures.ok else 1
    if args.only in (None, "sync"):
        print("== sync", flush=True)
        sync_bench.run(_row, args.changes)
    if args.only in (None, "search"):
        print("== search", flush=True)
        search_bench.run(_row, args.households, Path(args.keep) if args.keep else None)
    if args.only in (None, "paper"):
        print("== paper", flush=True)
        paper_bench.run(_row)
    if args.only in (None, "report"):
        print("== report", flush=True)
        report_bench.run(_row)
    if args.only in (None, "field"):
        print("== field", flush=True)
        field_bench.run(_row, _demo_folder(args.keep, args.households, "field"))
    if args.only in (None, "backup"):
        print("== backup", flush=True)
        backup_bench.run(_row)
    if args.only in (None, "office"):
        print("== office", flush=True)
        office_bench.run(_row, _demo_folder(args.keep, args.households, "office"))
    if args.only in (None, "dashboard"):
        print("== dashboard", flush=True)
        dashboard_bench.run(
            _row, args.households, args.visits, Path(args.keep) if args.keep else None
        )
    if args.only in (None, "trust"):
        print("== trust", flush=True)
        trust_bench.run(_row)
    if args.only in (None, "roster"):
        print("== roster", flush=True)
        roster_bench.run(_row, args.roster_rows)
    if args.only in (None, "forms"):
        print("== forms", flush=True)
        forms_bench.run(_row)
    if args.only not in (None, "startup"):
        return 0
    print("== start-up", flush=True)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="gridapp-bench-"))
    small, large = work / "demo2000", work / f"demo{args.households}"
    try:
        for folder, n in ((small, 2000), (large, args.households)):
            if not (folder / "gridapp.db").exists():
                seconds = _build_demo(folder, n)
                print(f"built the {n}-household demo in {seconds:.1f} s", flush=True)
        bare = [sys.executable, str(ROOT / "bench" / "bare_window.py")]
        app = [str(BIN / "gridapp"), "--demo", "--exit-when-ready", "--data-dir"]
        _spawn(bare)  # warm the file cache for both, so "cold" means a new process
        _spawn([*app, str(small)])
        # Interleaved, so a busy moment of the machine falls on all three alike.
        runs: dict[str, list[Sample]] = {"bare": [], "small": [], "large": []}
        for _ in range(args.repeat):
            runs["bare"].append(_spawn(bare))
            runs["small"].append(_spawn([*app, str(small)]))
            runs["large"].append(_spawn([*app, str(large)]))
        base, start_small, start_large = (_median(runs[k]) for k in ("bare", "small", "large"))
        print(f"median of {args.repeat} runs each")
        print(_row("start-up, gridapp --demo (2,000)", start_small.wall_ms, base.wall_ms, "ms", 3))
        print(
            _row(
                f"start-up, gridapp --demo ({args.households:,})",
                start_large.wall_ms,
                base.wall_ms,
                "ms",
                3,
            )
        )
        print(
            _row(
                f"memory (RSS), demo of {args.households:,}",
                start_large.rss_kb,
                base.rss_kb,
                "kB",
                3,
            )
        )
        print(_row("memory (RSS), demo of 2,000", start_small.rss_kb, base.rss_kb, "kB", 3))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
