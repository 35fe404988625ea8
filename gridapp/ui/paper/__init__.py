"""Paper: receipts, visit sheets, reports and the printer."""
