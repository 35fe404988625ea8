"""`gridapp-cli`, split by subject: set-up and reading, visits, sync."""

from gridapp.cli.main import main

__all__ = ["main"]
