"""Office-side reasoning over the campaign's records: pure functions, no SQL, no Qt."""
