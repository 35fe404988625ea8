"""The office's watching screens: dashboard, suggestions, forecast, conflicts."""
