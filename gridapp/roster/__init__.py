"""Household rosters from spreadsheets: reading (source), column mapping (fields),
normalising cells (normalise), checking rows (check), writing (writer) and the error
workbook (report). Qt-free; the service is gridapp.services.roster."""
