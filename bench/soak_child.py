"""The process the crash soak kills (bench/soak.py): the app's own services over a real
data folder, saving visits, drafts and bundles as fast as it can until SIGKILL.

    python bench/soak_child.py office|field DATA_DIR WORK_DIR SEED

Every write is reported in WORK_DIR/<role>-reported.txt only AFTER the service call
returned, and the report is fsynced: a reported visit was committed, so the parent may
demand it after any kill. An import is announced (`begin`) before it starts, so the
parent can tell an import the kill rolled back from one that was never tried.
"""

from __future__ import annotations

import os
import random
import sys
from datetime import timedelta
from pathlib import Path

from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.storage.store import Store

ANSWERS = {"stance": "oppose", "reasons": ["history"], "satisfaction": 2}


class Reporter:
    """Append-only lines, each fsynced before the next action starts."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def line(self, *words: str) -> None:
        os.write(self.fd, (" ".join(words) + "\n").encode("utf-8"))
        os.fsync(self.fd)


def reported(path: Path) -> list[list[str]]:
    """Complete lines only: a kill mid-write leaves a tail without its newline."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")[:-1]
    return [line.split() for line in lines if line]


def record_visit(
    services: Services, rng: random.Random, households: list[str], worker: str, items: list[str]
) -> str:
    met = rng.random() < 0.7
    when = services.store.clock.now() - timedelta(minutes=rng.randint(5, 600))
    visit = VisitInput(
        household_id=rng.choice(households),
        worker_code=worker,
        outcome="met" if met else "not_home",
        started_at=when,
        ended_at=when + timedelta(minutes=8),
        people_met=rng.randint(1, 3) if met else 0,
        answers=ANSWERS if met else {},
        explained=tuple((item, "doubts") for item in rng.sample(items, 2)) if met else (),
        suggestions=(("fee", f"分期缴纳 {rng.randint(1, 999)}"),) if met else (),
        notes="楼道灯坏了" if met else "",
    )
    return services.visits.record(visit).visit_id


def main(argv: list[str]) -> int:
    role, data_dir, work, seed = argv[0], Path(argv[1]), Path(argv[2]), int(argv[3])
    rng = random.Random(seed)
    services = Services(Store.open_in(data_dir))
    _ = services.sync  # load libsodium before READY: the kill lands in the work
    report = Reporter(work / f"{role}-reported.txt")
    households = services.read.household_ids()
    items = [services.read.policy_item_id(f"FEE-Q{n}") for n in range(1, 6)]
    worker = (work / f"{role}-worker.txt").read_text(encoding="utf-8").strip()
    bundles: list[Path] = []
    if role == "office":
        done = {
            words[1] for words in reported(work / "office-reported.txt") if words[0] == "import"
        }
        listed = (work / "bundles.txt").read_text(encoding="utf-8").split()
        bundles = [Path(p) for p in listed if Path(p).name not in done]
    exports = work / "exports"
    print("READY", flush=True)
    while True:
        roll = rng.random()
        if role == "office" and bundles and roll < 0.6:
            path = bundles.pop(0)
            report.line("begin", path.name)
            (result,) = services.sync.import_files([path])
            report.line("import", path.name, result.status)
        elif role == "field" and roll < 0.25:
            draft = services.store.new_id()
            services.drafts.save(
                draft, "visit", rng.choice(households), {"notes": "写到一半" * 20}, "2023-12-05"
            )
            report.line("draft", draft)
        elif role == "field" and roll < 0.3:
            out = exports / f"{services.store.new_id()}.gsb"
            exported = services.sync.export(out)
            report.line("export", out.name, str(exported.seq_to))
        else:
            report.line("visit", record_visit(services, rng, households, worker, items))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
