"""The only package with SQL: the database, its migrations, the change log, repositories."""

from gridapp.storage.database import open_database
from gridapp.storage.store import Store

__all__ = ["Store", "open_database"]
