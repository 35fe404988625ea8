"""What a roster bundle carries of the questionnaires (sync_store.roster_rows): the
campaign's questionnaire as last published, and every version the team's past visits
were answered under, so an older visit reads on the laptop with its own labels."""

from __future__ import annotations

import copy
from pathlib import Path

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.resources import load_json
from tests.conftest import make_services


def test_a_roster_after_publishing_carries_the_new_version_and_the_old_one(
    tmp_path: Path, clock: FixedClock
) -> None:
    office = make_services(tmp_path / "office" / "gridapp.db", clock)
    build_demo(office, DemoOptions(households=240, seed=11))
    db = office.store.db
    team, visit, old_id = db.execute(
        "SELECT t.number, v.id, v.questionnaire_id FROM visit v JOIN team t ON t.id = v.team_id"
        " WHERE EXISTS (SELECT 1 FROM answer a WHERE a.visit_id = v.id AND a.question = 'stance')"
        " ORDER BY v.id LIMIT 1"
    ).fetchone()
    doc = copy.deepcopy(load_json("content", "fee_consultation.v1.json"))
    doc["version"] = 2
    stance = next(i for i in doc["items"] if i["name"] == "stance")
    stance["label"] = {"zh_CN": "您是否支持调价？（第二版）", "en": "Do you support it? (v2)"}
    campaign = office.read.campaigns()[-1]["id"]
    record = office.campaigns.publish_to_campaign(doc, campaign)

    laptop = make_services(tmp_path / "laptop" / "gridapp.db", clock, role="field")
    laptop.sync.request(tmp_path / "request.json")
    office.sync.enroll(tmp_path / "request.json", team, tmp_path / "roster.gsb")
    (result,) = laptop.sync.import_files([tmp_path / "roster.gsb"])
    assert result.status == "applied", result

    laptop.act_as(f"W{team:02d}01", "field")
    active = laptop.read.active_questionnaire()
    assert active is not None and active[0] == record.id and active[1].version == 2
    assert active[1].question("stance").text("zh_CN") == "您是否支持调价？（第二版）"  # type: ignore[union-attr]
    held = laptop.store.db.execute("SELECT questionnaire_id FROM visit WHERE id = ?", [visit])
    assert held.fetchone()[0] == old_id != record.id
    rows = {r["question"]: r for r in laptop.read.visit_answers(visit)}
    assert rows["stance"]["label"] == "您对本次物业费调价方案的态度是？"
    office.store.close()
    laptop.store.close()
