"""Office reports: a workbook (XLSX), one sheet as CSV, the daily PDF. The service
gathers the figures (gridapp/services/reports.py); these modules only lay them out."""

#: File extension → format.
FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".pdf": "pdf"}
#: What `--sheet` may name for a CSV (the workbook has them all).
SHEETS = ("summary", "buildings", "visits", "suggestions", "answers")
