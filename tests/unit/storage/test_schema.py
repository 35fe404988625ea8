"""storage/schema.SYNCED: the one list of synced entities and who writes each; the change
log's triggers, the office's merge rules and the laptop's authority all derive from it."""

from __future__ import annotations

from gridapp.services import Services
from gridapp.storage.schema import (
    IMMUTABLE,
    MASTER_DATA,
    SYNCED,
    SYNCED_TABLES,
    VISIT_SIDE,
    Written,
)
from gridapp.sync import authority


def test_the_lists_derive_from_the_one_table() -> None:
    assert tuple(SYNCED) == SYNCED_TABLES
    assert {"household", "resident", "phone"} == MASTER_DATA
    assert {
        "visit",
        "answer",
        "explanation",
        "suggestion",
        "online_answer",
        "callback",
        "receipt",
        "void",
    } == VISIT_SIDE
    # a suggestion's follow-up steps, a visit's reviews and a household's lifecycle
    # events are the office's, but never change once made
    assert VISIT_SIDE | {"suggestion_status", "review", "household_event"} == IMMUTABLE
    assert not MASTER_DATA & IMMUTABLE
    assert {t for t, w in SYNCED.items() if w is Written.OFFICE} == (
        set(SYNCED) - MASTER_DATA - IMMUTABLE
    )


def test_the_per_entity_rules_cover_exactly_their_entities() -> None:
    """A new visit-side table without an authority rule would be refused whole; a rule
    for a table that is not visit-side would never run."""
    assert set(authority._VISIT_SIDE_RULES) == VISIT_SIDE
    assert set(authority.EDITABLE) == MASTER_DATA == set(authority._PARENT)


def test_parents_first_and_every_one_logged(services: Services) -> None:
    db = services.store.db
    seen: set[str] = set()
    for table in SYNCED_TABLES:
        parents = {r[2] for r in db.execute(f"PRAGMA foreign_key_list({table})")}
        assert parents - {table} <= seen, table
        seen.add(table)
    logged = {
        r[0].removeprefix("_log_").removesuffix("_insert")
        for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        if r[0].startswith("_log_") and r[0].endswith("_insert")
    }
    assert logged == set(SYNCED_TABLES)  # every synced table's writes are logged
