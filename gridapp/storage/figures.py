"""Every figure defined once (CLI.md "The counts"), as SQL conditions that the counts,
the dashboard, the reports, the PDF and the visit sheets all use, so no two surfaces
can disagree about what counts.

Voided and superseded visits never count (`live_visit`). A campaign's figures are its
visits (`visit.campaign_id`; the same for online answers, suggestions and callbacks)
and its buildings' teams (`assignment.campaign_id`); every query takes `:campaign`,
NULL for all campaigns at once (`stats` without `--campaign`).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

#: A live visit (alias v) that reached its household: in person, whatever the outcome.
#: A household is *visited* when it has one.
VISITED = "v.mode = 'in_person'"

#: A live visit (alias v) that is a consultation (入户征询): in person, met, answered.
CONSULTATION = f"""{VISITED} AND v.outcome = 'met'
    AND EXISTS (SELECT 1 FROM answer a WHERE a.visit_id = v.id)"""

#: A live visit (alias v) with policy explained (政策宣讲).
EXPLAINED = "EXISTS (SELECT 1 FROM explanation e WHERE e.visit_id = v.id)"

#: A suggestion (alias s) that counts: not voided, not hanging off a dead visit (voided,
#: or superseded by a live correction: `live_visit`, written per row so that checking a
#: few suggestions never lists every live visit first, ~2× faster on 20,000 households).
LIVE_SUGGESTION = """NOT EXISTS (
        SELECT 1 FROM void x WHERE x.entity = 'suggestion' AND x.record_id = s.id)
    AND (s.visit_id IS NULL OR (
        NOT EXISTS (SELECT 1 FROM void x WHERE x.entity = 'visit' AND x.record_id = s.visit_id)
        AND NOT EXISTS (
            SELECT 1 FROM visit sv WHERE sv.supersedes_id = s.visit_id
              AND NOT EXISTS (
                  SELECT 1 FROM void y WHERE y.entity = 'visit' AND y.record_id = sv.id))))"""

#: An online answer (alias o) that counts: not voided.
LIVE_ONLINE_ANSWER = """NOT EXISTS (
    SELECT 1 FROM void x WHERE x.entity = 'online_answer' AND x.record_id = o.id)"""

# A callback (alias c) is open until a live visit to the same household starts after it
# was scheduled: computed, not stored, so it stays right whatever order sync delivers.
OPEN_CALLBACK = """
    NOT EXISTS (SELECT 1 FROM void x WHERE x.entity = 'callback' AND x.record_id = c.id)
    AND NOT EXISTS (
        SELECT 1 FROM live_visit v
        WHERE v.household_id = c.household_id AND v.started_at > c.created_at)"""


def in_campaign(alias: str) -> str:
    """The record (a visit, online answer, suggestion or callback under `alias`) belongs
    to the campaign `:campaign`, or `:campaign` is NULL."""
    return f"(:campaign IS NULL OR {alias}.campaign_id = :campaign)"


def building_team(campaign: str = ":campaign") -> str:
    """A building's (alias b) team id: the campaign's assignment (`campaign` is an SQL
    expression; any campaign's when it is NULL; the first made, as the dashboard, the
    reports, the sheets and the suggestion list all show it)."""
    return f"""(SELECT a.team_id FROM assignment a WHERE a.building_id = b.id
    AND ({campaign} IS NULL OR a.campaign_id = {campaign}) ORDER BY a.rowid LIMIT 1)"""


def building_team_number(campaign: str = ":campaign") -> str:
    """The same, as the team's number."""
    return f"(SELECT t.number FROM team t WHERE t.id = {building_team(campaign)})"


BUILDING_TEAM = building_team()
BUILDING_TEAM_NUMBER = building_team_number()

_ACTIVE = "SELECT * FROM campaign WHERE status = 'active' ORDER BY starts_on DESC, id LIMIT 1"


def active_campaign(db: Database) -> dict[str, Any] | None:
    """The campaign in progress (the latest started when several are)."""
    return next(db.query(_ACTIVE), None)


def campaign(db: Database, campaign_id: str | None) -> dict[str, Any] | None:
    """The campaign asked for, else the active one."""
    if campaign_id is not None:
        return next(db.query("SELECT * FROM campaign WHERE id = ?", [campaign_id]), None)
    return active_campaign(db)


#: A household (alias h) to visit and to count: not merged into another one (it stays
#: for its past visits and its history, docs/household-lifecycle.md).
LISTED = "h.merged_into IS NULL"
