"""Services: each user action is one call, one unit of work, one set of log entries."""

from __future__ import annotations

from gridapp.services.campaigns import CampaignService
from gridapp.services.device import DeviceService
from gridapp.services.drafts import DraftService
from gridapp.services.field import FieldService
from gridapp.services.households import HouseholdService
from gridapp.services.reading import ReadingService
from gridapp.services.search import SearchService
from gridapp.services.sync import SyncService
from gridapp.services.visits import VisitService
from gridapp.storage.store import Store


class Services:
    """The core's façade, built once by the composition root (cli.py or app.py)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.search = SearchService(store)
        self.device = DeviceService(store)
        self.households = HouseholdService(store)
        self.campaigns = CampaignService(store)
        self.visits = VisitService(store)
        self.read = ReadingService(store)
        self.sync = SyncService(store)
        self.drafts = DraftService(store)
        self.field = FieldService(store)


__all__ = ["Services"]
