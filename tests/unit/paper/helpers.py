"""Shared by the paper tests: a visit worth a receipt."""

from __future__ import annotations

from gridapp.services import Services
from gridapp.services.visits import VisitInput


def record_visit(services: Services, worker: str = "W0101", notes: str = "") -> str:
    """A met visit with an explanation and a suggestion, on a household the worker's
    team covers (a laptop's roster holds only those)."""
    household = services.read.household_ids()[0]
    policy = services.read.policy_item_id("FEE-Q1")
    result = services.visits.record(
        VisitInput(
            household,
            worker,
            "met",
            people_met=1,
            explained=((policy, "understood"),),
            suggestions=(("service", "楼道灯坏了两周"),),
            notes=notes,
        )
    )
    return result.visit_id
