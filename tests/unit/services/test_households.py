"""Master data edits: validated, logged, refused whole when wrong."""

from __future__ import annotations

import json

import pytest

from gridapp.errors import InvalidInput, NotFound
from gridapp.services import Services
from gridapp.services.households import NewResident


def test_update_household_tags_and_status(demo_services: Services) -> None:
    household = demo_services.read.household_ids()[0]
    demo_services.households.update_household(
        household, {"status": "vacant", "tags": ["孤老", "残疾"]}
    )
    row = demo_services.read.household_rows([household])[0]
    assert row.status == "vacant" and row.tags == ["孤老", "残疾"]
    entry = demo_services.store.db.execute(
        "SELECT fields FROM change_log WHERE entity = 'household' AND op = 'update'"
        " ORDER BY seq DESC"
    ).fetchone()
    assert json.loads(entry[0]) == {"status": "vacant", "tags": '["孤老", "残疾"]'}


@pytest.mark.parametrize(
    "changes", [{"status": "haunted"}, {"room": " "}, {"floor": 999}, {"code": "X"}]
)
def test_bad_household_edits_are_refused(
    demo_services: Services, changes: dict[str, object]
) -> None:
    household = demo_services.read.household_ids()[0]
    before = demo_services.read.household_rows([household])
    with pytest.raises(InvalidInput):
        demo_services.households.update_household(household, changes)
    assert demo_services.read.household_rows([household]) == before


def test_residents_and_phones(demo_services: Services) -> None:
    household = demo_services.read.household_ids()[0]
    rid = demo_services.households.add_resident(
        household, NewResident("曾小芳", "child", False, 2001, ("13600001111",))
    )
    detail = demo_services.read.household(household)
    assert detail is not None
    assert any(r.id == rid and r.phones == ["13600001111"] for r in detail.residents)
    with pytest.raises(NotFound):
        demo_services.households.add_resident("nope", NewResident("某某"))
    with pytest.raises(InvalidInput):
        demo_services.households.change_phone("any", "12")


def test_worker_codes_are_unique(demo_services: Services) -> None:
    with pytest.raises(InvalidInput):
        demo_services.campaigns.add_worker("w0101", "重复", None)


def test_assigning_a_building_moves_it_between_teams(demo_services: Services) -> None:
    campaign = demo_services.read.campaigns()[0]
    building = demo_services.read.buildings()[0]
    team = demo_services.campaigns.add_team(17, "第17组")
    demo_services.campaigns.assign_buildings(campaign["id"], team.id, [building.id])
    moved = [b for b in demo_services.read.buildings() if b.id == building.id]
    assert [b.team_number for b in moved] == [17]
