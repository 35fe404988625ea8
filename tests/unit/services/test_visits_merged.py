"""A room merged into another is no household to visit: a new visit there is refused,
a correction of a visit made before the merge is not."""

from __future__ import annotations

import itertools

import pytest

from gridapp.errors import InvalidInput
from gridapp.services import Services
from gridapp.services.visits import VisitInput


def test_no_new_visit_to_a_merged_household(demo_services: Services) -> None:
    s = demo_services
    rows = s.store.db.execute(
        "SELECT id, building_id FROM household ORDER BY building_id, code"
    ).fetchall()
    keep, other = next((a, b) for (a, ba), (b, bb) in itertools.pairwise(rows) if ba == bb)
    before = s.visits.record(VisitInput(other, "W0101", "not_home")).visit_id
    s.households.merge(keep, other)
    with pytest.raises(InvalidInput, match=r"error\.household\.merged_visit"):
        s.visits.record(VisitInput(other, "W0101", "met"))
    s.visits.correct(before, VisitInput(other, "W0101", "met"))
    s.visits.record(VisitInput(keep, "W0101", "met"))
