"""Office figures on a large demo: the set-up screen's assignment tree against the
navigator's read of the same buildings (`read.buildings`, no progress), the
suggestions list with each one's current status against merely counting the live
suggestions (`stats`); assigning a whole compound in one action."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from gridapp.services import Services
from gridapp.services.campaign_setup import Scope
from gridapp.storage.store import Store

Row = Callable[..., str]


def _median_ms(call: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def run(row: Row, folder: Path, repeat: int = 9) -> None:
    services = Services(Store.open_in(folder))
    try:
        campaign = services.campaigns.campaign()
        assert campaign is not None
        campaign_id = campaign["id"]
        tree = _median_ms(lambda: services.campaigns.assignment_tree(campaign_id), repeat)
        navigator = _median_ms(lambda: services.read.buildings(with_progress=False), repeat)
        print(row("assignment tree vs navigator's building read", tree, navigator, "ms", 2))
        listed = _median_ms(lambda: services.suggestions.rows(), repeat)
        counted = _median_ms(lambda: services.read.counts().suggestions, repeat)
        print(row("suggestions list with status vs all counts", listed, counted, "ms", 2))
        compounds = services.campaigns.compounds(campaign_id)
        teams = services.campaigns.teams(campaign_id)
        start = time.perf_counter()
        result = services.campaigns.assign(
            campaign_id, teams[-1]["number"], Scope(compounds=[compounds[0]["id"]])
        )
        moved_ms = (time.perf_counter() - start) * 1000
        print(f"assign a whole compound ({result.total} buildings), one action: {moved_ms:.0f} ms")
    finally:
        services.store.close()
