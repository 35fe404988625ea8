"""Publishing a questionnaire to a campaign: both or neither (services/campaigns.py)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from gridapp.errors import InvalidInput
from gridapp.resources import load_json
from gridapp.services import Services


def _v2() -> dict[str, Any]:
    doc: dict[str, Any] = copy.deepcopy(load_json("content", "fee_consultation.v1.json"))
    doc["version"] = 2
    return doc


def _count(services: Services) -> int:
    return int(services.store.db.execute("SELECT count(*) FROM questionnaire").fetchone()[0])


def test_publish_to_campaign_publishes_and_uses(demo_services: Services) -> None:
    campaign = demo_services.read.campaigns()[-1]["id"]
    before = _count(demo_services)
    record = demo_services.campaigns.publish_to_campaign(_v2(), campaign)
    active = demo_services.read.active_questionnaire()
    assert active is not None and active[0] == record.id and active[1].version == 2
    assert _count(demo_services) == before + 1


def test_nothing_is_published_for_an_unknown_campaign_or_an_old_version(
    demo_services: Services,
) -> None:
    before_count, before = _count(demo_services), demo_services.read.active_questionnaire()
    with pytest.raises(InvalidInput, match="campaign_not_found"):
        demo_services.campaigns.publish_to_campaign(_v2(), "no-such-campaign")
    campaign = demo_services.read.campaigns()[-1]["id"]
    old = load_json("content", "fee_consultation.v1.json")
    with pytest.raises(InvalidInput, match="version_exists"):
        demo_services.campaigns.publish_to_campaign(old, campaign)
    assert _count(demo_services) == before_count
    assert demo_services.read.active_questionnaire() == before
