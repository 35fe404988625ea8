"""Administration: accounts, the audit log, backups."""
