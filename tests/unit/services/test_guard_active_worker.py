"""services/guard.active_worker: the one check that a worker may record something new,
and every service that credits, moves or binds a worker goes through it."""

from __future__ import annotations

import pytest

from gridapp.errors import InvalidInput, NotFound
from gridapp.services import Services
from gridapp.services.guard import active_worker
from gridapp.services.visits import VisitInput


def test_an_active_worker_by_any_spelling_of_the_code(demo_services: Services) -> None:
    worker = active_worker(demo_services.store.db, " w0101 ")
    assert worker["code"] == "W0101" and worker["active"] == 1 and worker["team_id"]


def test_an_unknown_code_is_not_found(demo_services: Services) -> None:
    with pytest.raises(NotFound) as caught:
        active_worker(demo_services.store.db, "W9999")
    assert caught.value.key == "error.worker_not_found"
    assert caught.value.params == {"code": "W9999"}


def test_a_retired_worker_is_refused_everywhere(demo_services: Services) -> None:
    s = demo_services
    s.campaigns.add_worker("W1701", "曾小芳", 1)
    s.campaigns.retire_worker("W1701")
    with pytest.raises(InvalidInput) as caught:
        active_worker(s.store.db, "w1701")
    assert caught.value.key == "error.worker_retired"
    assert caught.value.params == {"code": "W1701"}
    household = s.read.household_ids()[0]
    refusals = {
        "visit": lambda: s.visits.record(VisitInput(household, "W1701", "met")),
        "online answer": lambda: s.visits.add_online_answer("W1701", "wechat", "几时开会", "下周"),
        "move": lambda: s.campaigns.move_worker("W1701", 2),
        "retire again": lambda: s.campaigns.retire_worker("W1701"),
    }
    for what, call in refusals.items():
        with pytest.raises(InvalidInput) as refused:
            call()
        assert refused.value.key == "error.worker_retired", what


def test_a_retired_recorder_records_no_follow_up_step(demo_services: Services) -> None:
    s = demo_services
    suggestion = s.suggestions.rows()[0]
    s.campaigns.retire_worker("B0001")
    s.act_as("B0001", "office")
    with pytest.raises(InvalidInput) as refused:
        s.suggestions.advance(suggestion.id, "forwarded", handler="物业公司")
    assert refused.value.key == "error.worker_retired"
    assert s.suggestions.history(suggestion.id) == []


def test_signing_in_binds_an_active_worker_to_their_team_and_a_retired_one_to_none(
    demo_services: Services,
) -> None:
    s = demo_services
    team = active_worker(s.store.db, "W0101")["team_id"]
    actor = s.act_as("w0101", "field")
    assert (actor.worker_id, actor.team_id) != (None, None) and actor.team_id == team
    s.sign_out()
    s.campaigns.retire_worker("W0101")
    actor = s.act_as("W0101", "field")
    assert (actor.worker_id, actor.team_id) == (None, None)
