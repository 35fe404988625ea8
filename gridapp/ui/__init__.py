"""PySide6 widgets. No SQL and no business rules here: widgets call services."""
