"""The schema, as named migrations (never edited once released; add a new one).

Synced tables hold the campaign's records and are written only inside a unit of work,
so that their triggers log every change (see changelog.py). Local tables (prefixed
`_`, plus `change_log`) belong to this database alone.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from gridapp.storage import audit, changelog, ddl, drafts, purge, search_index

migrations = Migrations("gridapp")


class Written(StrEnum):
    """Who writes a synced table's records, and whether they change once made."""

    #: The office's own (devices, teams, campaigns, conflicts…): a laptop never writes them.
    OFFICE = "office"
    #: The office's, never changed once made (a suggestion's follow-up steps, a visit's
    #: reviews, a household's lifecycle events).
    OFFICE_STEPS = "office_steps"
    #: The office's roster of households; a team's laptops correct it field by field.
    MASTER = "master"
    #: Made by a laptop at the door (visits and what hangs on them), never changed once
    #: made: a correction is a new record, a void another.
    VISIT_SIDE = "visit_side"


#: Every table whose writes travel in the change log, in an order that respects foreign
#: keys (parents first), with who writes it: the one list of synced entities.
SYNCED: Final[dict[str, Written]] = {
    "device": Written.OFFICE,
    "compound": Written.OFFICE,
    "grid": Written.OFFICE,
    "building": Written.OFFICE,
    "household": Written.MASTER,
    "resident": Written.MASTER,
    "phone": Written.MASTER,
    "team": Written.OFFICE,
    "worker": Written.OFFICE,
    "questionnaire": Written.OFFICE,
    "policy_item": Written.OFFICE,
    "campaign": Written.OFFICE,
    "campaign_compound": Written.OFFICE,
    "campaign_policy": Written.OFFICE,
    "assignment": Written.OFFICE,
    "visit": Written.VISIT_SIDE,
    "answer": Written.VISIT_SIDE,
    "explanation": Written.VISIT_SIDE,
    "suggestion": Written.VISIT_SIDE,
    "suggestion_status": Written.OFFICE_STEPS,
    "online_answer": Written.VISIT_SIDE,
    "callback": Written.VISIT_SIDE,
    "receipt": Written.VISIT_SIDE,
    "void": Written.VISIT_SIDE,
    "review": Written.OFFICE_STEPS,
    "household_event": Written.OFFICE_STEPS,
    "conflict": Written.OFFICE,
}
SYNCED_TABLES: Final[tuple[str, ...]] = tuple(SYNCED)
#: Household master data: merged per field at the office (sync/merge.py), corrected by
#: a laptop only for its team's households (sync/authority.py).
MASTER_DATA: Final = frozenset(t for t, w in SYNCED.items() if w is Written.MASTER)
#: Visit-side records: what a laptop may create at the door.
VISIT_SIDE: Final = frozenset(t for t, w in SYNCED.items() if w is Written.VISIT_SIDE)
#: Records never changed once made: the same record again is a no-op, a change is refused.
IMMUTABLE: Final = VISIT_SIDE | {t for t, w in SYNCED.items() if w is Written.OFFICE_STEPS}


@migrations()
def m001_initial(db: Database) -> None:
    for statement in ddl.INITIAL.split(";"):
        if statement.strip():
            db.execute(statement)
    changelog.create_log_tables(db)
    changelog.install_triggers(db, SYNCED_TABLES)


@migrations()
def m002_sync(db: Database) -> None:
    """Sync bookkeeping: peers, held and imported bundles, quarantine, the field's
    trust anchor; conflicts reshaped to hold every candidate value."""
    for statement in ddl.SYNC.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m003_drafts(db: Database) -> None:
    """Drafts of visits being typed: local to the laptop, never synced."""
    drafts.create(db)


@migrations()
def m004_search(db: Database) -> None:
    """The household finder's local index, derived data never synced (search_index.py)."""
    search_index.create(db)


@migrations()
def m005_device_certificates(db: Database) -> None:
    """The office's signature over each laptop's signing key: with the office's public
    key alone, anyone can check a receipt offline."""
    db.execute("ALTER TABLE device ADD COLUMN certificate TEXT NOT NULL DEFAULT ''")


@migrations()
def m006_office(db: Database) -> None:
    """Suggestions move new → forwarded → answered → closed as immutable steps (who
    it went to, who answered and how), so a laptop re-sending the suggestion never
    collides with the office's progress; a roster's 人口 lands on the household."""
    for statement in ddl.OFFICE.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m007_audit(db: Database) -> None:
    """The audit log of sensitive actions: local, append-only, hash-chained."""
    audit.create(db)


@migrations()
def m008_dashboard_indexes(db: Database) -> None:
    """Live in-person visits by household from the index alone (the dashboard's coverage
    and first-visit day, households visited): no sort of every visit."""
    db.execute("CREATE INDEX visit_mode_household ON visit(mode, household_id, started_at, id)")


@migrations()
def m009_privacy(db: Database) -> None:
    """Purges of a closed campaign's personal data: the households purged (so late
    bundles cannot bring it back) and the change log's redaction switch."""
    purge.create(db)


@migrations()
def m010_sync_alarms(db: Database) -> None:
    """Bundles an enrolled laptop signed but was not allowed to send (an entry outside
    its authority, a malformed entry): the office's alarm list (sync/authority.py)."""
    for statement in ddl.ALARMS.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m011_recorded_by(db: Database) -> None:
    """A visit typed by office staff from a worker's paper form (代录) says who typed it;
    the visit stays the worker's."""
    db.execute("ALTER TABLE visit ADD COLUMN recorded_by TEXT REFERENCES worker(id)")


@migrations()
def m012_review(db: Database) -> None:
    """The office's review of each visit: immutable steps, approved or returned with a
    comment (the latest one is the visit's review state; none: not yet reviewed)."""
    for statement in ddl.REVIEW.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m013_household_lifecycle(db: Database) -> None:
    """A household's lifecycle at the office: immutable events (moved out, moved in,
    merged, split; counts and ids only, no names), and `merged_into` on a household
    whose room became part of another (it stays for its visits, listed no more)."""
    for statement in ddl.LIFECYCLE.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m014_campaign_visit_index(db: Database) -> None:
    """The dashboard's coverage and first-visit day for one campaign from the index alone:
    m008's index with the visit's campaign at its end (a campaign-scoped count read
    every visit's row: +250 ms on 200,000 visits)."""
    db.execute("DROP INDEX IF EXISTS visit_mode_household")
    db.execute(
        "CREATE INDEX visit_mode_household_campaign"
        " ON visit(mode, household_id, started_at, id, campaign_id)"
    )


def migrate(db: Database) -> list[str]:
    """Apply pending migrations; returns the names applied."""
    pending = [m.name for m in migrations.pending(db)]
    if pending:
        migrations.apply(db)
        # A later migration that changes a synced table's columns must leave the
        # triggers matching; reinstalling is idempotent and cheap.
        with db.atomic():
            changelog.install_triggers(db, SYNCED_TABLES)
    return pending


def schema_version(db: Database) -> str:
    applied = migrations.applied(db)
    return applied[-1].name if applied else ""
