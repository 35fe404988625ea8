"""An answer is checked at the office against the questionnaire version it names: a
signature proves who sent it, not that it answers the form. Each malformed answer is
refused with the question's path (the world and its checks are test_authority's)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.unit.sync.test_authority import World, attempt, world

__all__ = ["world"]  # the fixture, shared

pytestmark = pytest.mark.expected_log(r"^refused \S+: error\.bundle\.")


def answer(w: World, question: str, value: str, **changes: Any) -> dict[str, Any]:
    """An answer to laptop 1's honest visit, as its own entry."""
    honest = next(r for r in w.records if r["entity"] == "answer")["fields"]
    fields = {**honest, "id": str(uuid.uuid4()), "question": question, "value": value}
    return w.change("answer", {**fields, **changes})


@pytest.mark.parametrize(
    ("question", "value", "changes", "reason"),
    [
        ("no_such_question", '"agree"', {}, "authority.answer.unknown_question"),
        ("stance", '"maybe"', {}, "authority.answer.bad_value"),
        ("stance", "[1, 2]", {}, "authority.answer.bad_value"),
        ("stance", '"agree"', {"questionnaire_id": None}, "authority.answer_questionnaire"),
    ],
    ids=["unknown_question", "not_a_choice", "wrong_type", "no_questionnaire"],
)
def test_a_malformed_answer_is_refused(
    world: World, question: str, value: str, changes: dict[str, Any], reason: str
) -> None:
    attempt(world, world.bundle([answer(world, question, value, **changes)]), reason)


def test_an_answer_to_a_questionnaire_the_office_lacks_is_refused(world: World) -> None:
    entry = answer(world, "stance", '"agree"', questionnaire_id=str(uuid.uuid4()))
    attempt(world, world.bundle([entry]), "authority.reference")


def test_an_answer_to_another_version_than_its_visits_is_refused(world: World) -> None:
    """The visit was asked no questionnaire; an answer naming one does not belong."""
    visit = world.change("visit", world.visit(questionnaire_id=None))
    entry = answer(world, "stance", '"agree"', visit_id=visit["record_id"])
    entry["seq"] = visit["seq"] + 1
    attempt(world, world.bundle([visit, entry]), "authority.answer_questionnaire")
