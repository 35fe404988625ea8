"""Sync bundles on screen: export, import, enrolment, roster bundles."""
