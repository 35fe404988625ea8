"""The purge's storage: the change log opens for redaction only while a purge runs,
and even then never for an entry's identity nor for a delete; which households a
purge covers."""

from __future__ import annotations

import sqlite3

import pytest

from gridapp.services import Services
from gridapp.storage import purge


def test_the_log_opens_for_redaction_only(demo_services: Services) -> None:
    db = demo_services.store.db
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), db.conn:
        db.execute("UPDATE change_log SET fields = '{}' WHERE seq = 1")
    with demo_services.store.replaying() as tx:
        tx.execute("UPDATE _write_context SET redacting = 1")
        tx.execute("UPDATE change_log SET fields = '{}' WHERE seq = 1")
        for sql in (
            "UPDATE change_log SET seq = 999999 WHERE seq = 1",
            "UPDATE change_log SET record_id = 'x' WHERE seq = 1",
            "DELETE FROM change_log WHERE seq = 1",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                tx.execute(sql)
        tx.execute("UPDATE _write_context SET redacting = 0")
    assert db.execute("SELECT fields FROM change_log WHERE seq = 1").fetchone()[0] == "{}"


def test_a_purge_covers_the_campaign_less_what_an_open_campaign_needs(
    demo_services: Services,
) -> None:
    db = demo_services.store.db
    campaign = demo_services.read.campaigns()[0]["id"]
    everything = purge.campaign_households(db, campaign)
    assert len(everything) == 240
    compound = demo_services.read.compounds()[0].id
    demo_services.campaigns.create_campaign(
        {"name": "加装电梯意见征询", "starts_on": "2024-03-01", "ends_on": "2024-03-31"},
        [compound],
        [],
    )
    needed = set(demo_services.read.household_ids(compound_id=compound))
    assert set(purge.campaign_households(db, campaign)) == set(everything) - needed
    remaining = set(everything) - needed
    team = db.execute(
        "SELECT a.team_id FROM assignment a JOIN household h ON h.building_id = a.building_id"
        " WHERE h.id = ?",
        [min(remaining)],
    ).fetchone()[0]
    of_team = set(purge.campaign_households(db, campaign, team))
    assert of_team and of_team <= remaining and len(of_team) < len(remaining)
