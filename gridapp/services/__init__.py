"""Services: each user action is one call, one unit of work, one set of log entries."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from gridapp.actor import Actor
from gridapp.services.audit import AuditService
from gridapp.services.backup import BackupService
from gridapp.services.campaigns import CampaignService
from gridapp.services.device import DeviceService
from gridapp.services.drafts import DraftService
from gridapp.services.field import FieldService
from gridapp.services.guard import refresh_actor
from gridapp.services.households import HouseholdService
from gridapp.services.privacy import PrivacyService
from gridapp.services.reading import ReadingService
from gridapp.services.search import SearchService
from gridapp.services.visits import VisitService
from gridapp.storage.store import Store

if TYPE_CHECKING:
    from gridapp.services.consultation import ConsultationService
    from gridapp.services.dashboard import DashboardService
    from gridapp.services.paper import PaperService
    from gridapp.services.reports import ReportService
    from gridapp.services.review import ReviewService
    from gridapp.services.roster import RosterService
    from gridapp.services.scorecard import ScorecardService
    from gridapp.services.suggestions import SuggestionService
    from gridapp.services.sync import SyncService


class Services:
    """The core's façade, built once by a composition root: the command line's
    (`gridapp/cli/context.py`, `Context.services`) or the desktop's (`gridapp/app.py`)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        # First: its commit hook keeps the search index in step with every write.
        self.search = SearchService(store)
        self.device = DeviceService(store)
        self.households = HouseholdService(store)
        self.campaigns = CampaignService(store)
        self.visits = VisitService(store)
        self.read = ReadingService(store)
        self.drafts = DraftService(store)
        self.field = FieldService(store)
        self.audit = AuditService(store)
        self.backup = BackupService(store)
        self.privacy = PrivacyService(store)

    def act_as(self, code: str, role: str) -> Actor:
        """Bind the signed-in account: from now on every call acts as it (its worker
        record gives the team a field worker is bounded to). Called by sign-in only."""
        self.store.actor = Actor(code.strip().upper(), role)
        refresh_actor(self.store)
        return self.store.actor

    def sign_out(self) -> None:
        self.store.actor = None

    @property
    def signed_in(self) -> bool:
        """Whether a worker signed in (a database with accounts); plain demo and test
        databases have nobody to sign in."""
        return self.store.actor is not None

    @property
    def database_path(self) -> Path | None:
        return self.store.path

    @property
    def in_memory(self) -> bool:
        """An in-memory database (tests): no file to open a second connection on."""
        return self.store.path is None

    def own_connection(self) -> Services | None:
        """These services over a connection of their own, for another thread: same
        database, key, clock and signed-in worker. None for an in-memory database (no
        file to open twice): the caller runs the work on these services instead."""
        if self.store.path is None:
            return None
        return Services(self.store.sibling())

    def close(self) -> None:
        self.store.close()

    # Sync (libsodium) and paper (reportlab, qrcode) load on first use, so the desktop
    # opens without paying for them.
    @cached_property
    def sync(self) -> SyncService:
        from gridapp.services.sync import SyncService

        sync = SyncService(self.store)
        sync.before_import = self.backup.before_import
        return sync

    @cached_property
    def paper(self) -> PaperService:
        from gridapp.services.paper import PaperService

        return PaperService(self.store)

    @cached_property
    def roster(self) -> RosterService:
        from gridapp.services.roster import RosterService  # openpyxl on first use

        return RosterService(self.store)

    # Office screens: consultation results, the vote forecast, reports (openpyxl, reportlab).
    @cached_property
    def consultation(self) -> ConsultationService:
        from gridapp.services.consultation import ConsultationService

        return ConsultationService(self.store)

    @cached_property
    def reports(self) -> ReportService:
        from gridapp.services.reports import ReportService

        return ReportService(self.store)

    @cached_property
    def scorecard(self) -> ScorecardService:
        from gridapp.services.scorecard import ScorecardService

        return ScorecardService(self.store)

    @cached_property
    def suggestions(self) -> SuggestionService:
        from gridapp.services.suggestions import SuggestionService

        return SuggestionService(self.store)

    @cached_property
    def review(self) -> ReviewService:
        from gridapp.services.review import ReviewService

        return ReviewService(self.store)

    @cached_property
    def dashboard(self) -> DashboardService:
        from gridapp.services.dashboard import DashboardService

        return DashboardService(self.store)


__all__ = ["Services"]
