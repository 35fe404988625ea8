"""Campaign set-up: every action one unit of work; bad input refused whole."""

from __future__ import annotations

from typing import Any

import pytest

from gridapp.errors import InvalidInput, NotFound
from gridapp.services import Services
from gridapp.services.campaign_setup import Scope
from gridapp.services.visits import VisitInput
from gridapp.storage import changelog

ACTOR = "OFFICE01"


def _campaign(s: Services) -> dict[str, Any]:
    campaign = s.campaigns.campaign()
    assert campaign is not None
    return campaign


def _seq(s: Services) -> int:
    return changelog.last_seq(s.store.db, s.store.require_device().device_id)


def _tree(s: Services) -> list[dict[str, Any]]:
    return s.campaigns.assignment_tree(_campaign(s)["id"])


def test_editing_the_campaign_fields_and_scope(demo_services: Services) -> None:
    s = demo_services
    campaign = _campaign(s)
    compounds = s.campaigns.compounds(campaign["id"])
    assert all(c["in_scope"] for c in compounds)
    items = [p["id"] for p in s.read.campaigns()[0]["policy_items"]]
    s.campaigns.edit_campaign(
        campaign["id"],
        {"name": " 物业费调价征询（延长） ", "ends_on": "2023-12-20"},
        policy_item_ids=list(reversed(items[:3])),
    )
    shown = s.read.campaigns()[0]
    assert shown["name"] == "物业费调价征询（延长）"
    assert shown["ends_on"] == "2023-12-20"
    assert [p["id"] for p in shown["policy_items"]] == list(reversed(items[:3]))


def test_bad_campaign_edits_change_nothing(demo_services: Services) -> None:
    s = demo_services
    campaign = _campaign(s)
    before = _seq(s)
    bad: list[dict[str, Any]] = [
        {"starts_on": "2023-12-20", "ends_on": "2023-12-01"},
        {"ends_on": "2023-11-01"},
        {"starts_on": "12/04/2023"},
        {"name": "  "},
        {"status": "closed"},
        {"questionnaire_id": "nope"},
    ]
    for changes in bad:
        with pytest.raises(InvalidInput):
            s.campaigns.edit_campaign(campaign["id"], changes)
    with pytest.raises(InvalidInput):
        s.campaigns.edit_campaign(campaign["id"], {"name": "x"}, compound_ids=["nope"])
    with pytest.raises(InvalidInput):
        s.campaigns.edit_campaign(campaign["id"], {"name": "x"}, policy_item_ids=["nope"])
    with pytest.raises(NotFound):
        s.campaigns.edit_campaign("nope", {"name": "x"})
    assert _seq(s) == before
    assert _campaign(s) == campaign


def test_a_compound_with_assigned_buildings_cannot_leave_the_campaign(
    demo_services: Services,
) -> None:
    s = demo_services
    campaign = _campaign(s)
    first, *others = [c["id"] for c in s.campaigns.compounds(campaign["id"])]
    with pytest.raises(InvalidInput) as refused:
        s.campaigns.edit_campaign(campaign["id"], {}, compound_ids=others)
    assert refused.value.key == "error.setup.compound_assigned"
    s.campaigns.unassign(campaign["id"], Scope(compounds=[first]))
    s.campaigns.edit_campaign(campaign["id"], {}, compound_ids=others)
    scope = {c["id"]: c["in_scope"] for c in s.campaigns.compounds(campaign["id"])}
    assert scope[first] == 0
    # …and its buildings can no longer be assigned
    building = next(r["building_id"] for r in _tree(s) if r["compound_id"] == first)
    with pytest.raises(InvalidInput) as outside:
        s.campaigns.assign(campaign["id"], 1, Scope(buildings=[building]))
    assert outside.value.key == "error.setup.outside_campaign"
    # back in scope: a delete then an insert, both in the change log
    s.campaigns.edit_campaign(campaign["id"], {}, compound_ids=[first, *others])
    ops = [
        e.op
        for e in changelog.entries(s.store.db)
        if e.entity == "campaign_compound" and e.op != "insert"
    ]
    assert ops == ["delete"]


def test_teams_are_added_and_renamed(demo_services: Services) -> None:
    s = demo_services
    team = s.campaigns.add_team(17, " 机动组 ")
    assert team.name == "机动组"
    s.campaigns.rename_team(17, "第17组（机动）")
    names = {t["number"]: t["name"] for t in s.campaigns.teams(None)}
    assert names[17] == "第17组（机动）"
    for number, name in ((17, "重复"), (0, "零"), (18, " ")):
        with pytest.raises(InvalidInput):
            s.campaigns.add_team(number, name)
    with pytest.raises(InvalidInput):
        s.campaigns.rename_team(99, "无此组")


def test_workers_are_added_moved_and_retired_never_deleted(demo_services: Services) -> None:
    s = demo_services
    household = s.read.household_ids()[0]
    s.campaigns.add_worker("w1701", " 曾小芳 ", 1)
    s.visits.record(VisitInput(household, "W1701", "met"))
    s.campaigns.move_worker("W1701", 2)
    moved = next(w for w in s.campaigns.workers() if w["code"] == "W1701")
    assert (moved["team"], moved["name"], moved["visits"]) == (2, "曾小芳", 1)
    before = _seq(s)
    s.campaigns.retire_worker("W1701")
    assert _seq(s) == before + 1
    retired = next(w for w in s.campaigns.workers() if w["code"] == "W1701")
    assert retired["active"] == 0 and retired["visits"] == 1
    assert s.campaigns.workers()[-1]["code"] == "W1701"  # retired ones last
    with pytest.raises(InvalidInput) as refused:
        s.visits.record(VisitInput(household, "W1701", "met"))
    assert refused.value.key == "error.worker_retired"
    with pytest.raises(InvalidInput):
        s.visits.add_online_answer("W1701", "wechat", "何时开会？", "下周")
    with pytest.raises(InvalidInput):
        s.campaigns.move_worker("W1701", 3)
    assert "W1701" not in [w["code"] for w in s.read.campaigns()[0]["teams"][1]["workers"]]


def test_bad_worker_input_changes_nothing(demo_services: Services) -> None:
    s = demo_services
    before = _seq(s)
    with pytest.raises(InvalidInput):
        s.campaigns.add_worker("W0101", "重复", 1)
    with pytest.raises(InvalidInput):
        s.campaigns.add_worker("W 17", "空格", 1)
    with pytest.raises(InvalidInput):
        s.campaigns.add_worker("W1799", "无组", 99)
    with pytest.raises(InvalidInput):
        s.campaigns.add_worker("W1799", "  ", 1)
    with pytest.raises(NotFound):
        s.campaigns.move_worker("NOPE", 1)
    with pytest.raises(InvalidInput):
        s.campaigns.move_worker("W0101", 99)
    assert _seq(s) == before


def test_assigning_many_buildings_grids_and_compounds_at_once(demo_services: Services) -> None:
    s = demo_services
    campaign_id = _campaign(s)["id"]
    s.campaigns.add_team(17, "机动组")
    tree = _tree(s)
    grid = tree[0]["grid_id"]
    in_grid = [r["building_id"] for r in tree if r["grid_id"] == grid]
    result = s.campaigns.assign(campaign_id, 17, Scope(grids=[grid]))
    assert (result.assigned, result.moved, result.unchanged) == (0, len(in_grid), 0)
    again = s.campaigns.assign(campaign_id, 17, Scope(buildings=in_grid[:1], grids=[grid]))
    assert again.unchanged == len(in_grid) and again.total == len(in_grid)
    held = {r["building_id"] for r in _tree(s) if r["team"] == 17}
    assert held == set(in_grid)
    assert s.campaigns.unassign(campaign_id, Scope(buildings=in_grid[:2])) == 2
    free = [r for r in _tree(s) if r["team"] is None]
    assert {r["building_id"] for r in free} == set(in_grid[:2])
    back = s.campaigns.assign(campaign_id, 17, Scope(buildings=in_grid[:2]))
    assert back.assigned == 2
    compound = tree[-1]["compound_id"]
    whole = s.campaigns.assign(campaign_id, 16, Scope(compounds=[compound]))
    assert whole.total == len([r for r in tree if r["compound_id"] == compound])
    # the household lists and the roster follow
    assert s.read.household_ids(team_number=16)


def test_a_bad_building_in_a_batch_assigns_none(demo_services: Services) -> None:
    s = demo_services
    campaign_id = _campaign(s)["id"]
    before = _tree(s)
    seq = _seq(s)
    ids = [r["building_id"] for r in before[:3]]
    for scope in (
        Scope(buildings=[*ids, "nope"]),
        Scope(grids=["nope"]),
        Scope(compounds=["nope"]),
        Scope(),
    ):
        with pytest.raises(InvalidInput):
            s.campaigns.assign(campaign_id, 2, scope)
    with pytest.raises(InvalidInput):
        s.campaigns.assign(campaign_id, 99, Scope(buildings=ids))
    with pytest.raises(NotFound):
        s.campaigns.assign("nope", 2, Scope(buildings=ids))
    assert _tree(s) == before
    assert _seq(s) == seq
