"""What every room shares: background jobs and reads off the GUI thread."""
