"""Which campaign a visit (or online answer) belongs to. Several campaigns run at once
and a household may be in several: the worker names one, or the only open campaign
that covers the household is taken; a closed or draft campaign takes no new visits."""

from __future__ import annotations

from typing import Any

from gridapp.errors import InvalidInput
from gridapp.storage import campaign_queries, records


def visit_campaign(
    db: Any, household_id: str | None, campaign_id: str | None
) -> dict[str, Any] | None:
    """The campaign record to file the visit under, or None for a visit outside any
    campaign (no open campaign covers the household)."""
    if campaign_id is not None:
        campaign = records.get(db, "campaign", campaign_id)
        if campaign is None:
            raise InvalidInput("error.campaign_not_found", ref=campaign_id[:80])
        if campaign["status"] != "active":
            raise InvalidInput(
                "error.visit.campaign_not_open", name=campaign["name"], status=campaign["status"]
            )
        if household_id is not None and not campaign_queries.covers(db, campaign_id, household_id):
            raise InvalidInput("error.visit.outside_campaign", name=campaign["name"])
        return campaign
    found = (
        campaign_queries.open_campaigns(db)
        if household_id is None  # an online answer about no household: any open campaign
        else campaign_queries.open_campaigns_for(db, household_id)
    )
    if len(found) > 1:
        names = "、".join(str(c["name"]) for c in found)
        raise InvalidInput("error.visit.which_campaign", campaigns=names, count=len(found))
    return found[0] if found else None
