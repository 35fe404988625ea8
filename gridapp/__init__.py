"""gridapp: offline household visits for community grid workers."""

__version__ = "0.1.0"
