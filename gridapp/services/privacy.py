"""Closing a campaign and purging its residents' personal data (docs/privacy.md).

- `close_campaign`: the office closes a campaign. From then on every roster bundle
  for a team carries a purge order for the campaign's households that team holds;
  each laptop applies it as it imports the bundle (gridapp.sync.importer).
- `purge`: the office purges its own copy once the retention period after the
  campaign's end has passed (earlier only with `now=True`; whether the actor may ask
  that is the caller's check: roles live elsewhere). One transaction, a summary of
  counts in the audit log, then the file is rewritten so nothing lingers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from gridapp.audit_actions import BACKUPS_SCRUBBED, CAMPAIGN_CLOSED, PURGED
from gridapp.clock import epoch_ms, iso
from gridapp.errors import InvalidInput, NotFound
from gridapp.privacy import RETENTION_DAYS, PurgeCounts, retention_date
from gridapp.services.guard import actor_of, requires
from gridapp.storage import audit, backup_scrub, purge, records
from gridapp.storage.schema import schema_version
from gridapp.storage.store import Store
from gridapp.trust.roles import Action


@dataclass(frozen=True)
class PurgeReport:
    counts: PurgeCounts
    campaign_name: str
    retention_until: str
    dry_run: bool
    early: bool  # before the retention date (allowed only with now=True)

    def as_dict(self) -> dict[str, Any]:
        return {
            **asdict(self.counts),
            "name": self.campaign_name,
            "retention_until": self.retention_until,
            "dry_run": self.dry_run,
            "early": self.early,
        }


class PrivacyService:
    def __init__(self, store: Store, retention_days: int = RETENTION_DAYS) -> None:
        self.store = store
        self.retention_days = retention_days

    def _campaign(self, campaign_id: str | None) -> dict[str, Any]:
        if self.store.require_device().role != "office":
            raise InvalidInput("error.sync.office_only")
        campaign = purge.get_campaign(self.store.db, campaign_id)
        if campaign is None:
            raise NotFound("error.privacy.no_campaign", id=campaign_id or "")
        return campaign

    @requires(Action.CAMPAIGN_SETUP)
    def close_campaign(self, campaign_id: str | None = None) -> dict[str, Any]:
        """Close the campaign; its laptops purge with their next roster bundle."""
        actor = actor_of(self.store).code
        campaign = self._campaign(campaign_id)
        if campaign["status"] == "closed":
            raise InvalidInput("error.privacy.already_closed", name=campaign["name"])
        with self.store.unit_of_work(actor) as db:
            records.update(db, "campaign", campaign["id"], {"status": "closed"})
            households = len(purge.campaign_households(db, campaign["id"]))
            audit.append(
                db,
                iso(self.store.clock.now()),
                actor,
                CAMPAIGN_CLOSED,
                campaign["id"],
                households=households,
            )
        return {
            "campaign_id": campaign["id"],
            "name": campaign["name"],
            "households": households,
            "retention_until": self.retention_until(campaign).isoformat(),
        }

    @requires(Action.VIEW)
    def campaign(self, campaign_id: str | None = None) -> dict[str, Any] | None:
        """The campaign by id; without one, the only campaign, else the latest closed
        (what the set-up screen shows once the active one has closed)."""
        return purge.get_campaign(self.store.db, campaign_id)

    @requires(Action.VIEW)
    def retention_until(self, campaign: dict[str, Any]) -> date:
        return retention_date(campaign["ends_on"], self.retention_days)

    @requires(Action.PURGE)
    def purge(
        self,
        campaign_id: str | None = None,
        dry_run: bool = False,
        now: bool = False,
    ) -> PurgeReport:
        """Purge the office's copy of a closed campaign's personal data."""
        actor = actor_of(self.store).code
        campaign = self._campaign(campaign_id)
        if campaign["status"] != "closed":
            raise InvalidInput("error.privacy.not_closed", name=campaign["name"])
        moment = self.store.clock.now()
        until = self.retention_until(campaign)
        early = moment.date() < until
        if early and not now and not dry_run:
            raise InvalidInput(
                "error.privacy.too_early", name=campaign["name"], until=until.isoformat()
            )
        db = self.store.db
        households = purge.campaign_households(db, campaign["id"])
        if dry_run:
            counts = purge.preview(db, campaign["id"], households)
        else:
            stamp = purge.stamp(db, epoch_ms(moment))
            with self.store.replaying() as tx:
                counts = purge.purge(tx, campaign["id"], households, stamp, iso(moment))
                audit.append(
                    tx,
                    iso(moment),
                    actor,
                    PURGED,
                    campaign["id"],
                    households=counts.households,
                    residents=counts.residents,
                    phones=counts.phones,
                )
            purge.compact(db)
            if counts.changed:
                self._scrub_backups(actor)
        return PurgeReport(counts, campaign["name"], until.isoformat(), dry_run, early)

    def _scrub_backups(self, actor: str) -> None:
        """The purge has committed: the backups made before it still hold what it
        erased; one fresh backup of the purged database replaces them."""
        if self.store.path is None:
            return
        db = self.store.db
        moment = self.store.clock.now()
        folder = self.store.path.parent / "backups"
        result = backup_scrub.scrub(db, folder, moment, schema_version(db), self.store.key)
        if result.removed:
            with self.store.replaying() as tx:
                audit.append(
                    tx, iso(moment), actor, BACKUPS_SCRUBBED, result.fresh, removed=result.removed
                )
