"""SIGKILL the app 20 times while it saves visits, drafts and bundles and imports sync
bundles: no reported visit is lost, the database stays whole, every import applied all
of its bundle or none of it. (The 200-kill version: `bench/run.py --only soak`.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import soak

pytestmark = pytest.mark.slow  # end to end (scripts/fast.sh leaves it out)


def test_sigkill_loses_nothing_committed(tmp_path: Path) -> None:
    figures = soak.run(kills=20, seed=7, keep=tmp_path / "soak")

    assert figures.kills == 20
    assert figures.problems == []
    assert figures.integrity_failures == 0
    assert figures.visits_lost == 0 and figures.drafts_lost == 0
    assert figures.partial_imports == 0
    assert figures.bundles_broken == 0
    # The kills landed on real work in both roles.
    assert figures.visits_reported > 0 and figures.visits_verified == figures.visits_reported
    assert figures.imports_completed > 0
    assert figures.drafts_reported > 0 and figures.bundles_exported > 0
