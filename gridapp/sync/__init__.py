"""Sync bundles between field laptops and the office (DESIGN.md §4, docs/sync-bundles.md)."""
