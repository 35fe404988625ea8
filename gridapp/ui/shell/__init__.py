"""The window around everything: start-up, sign-in and lock, the main window, the
screen registry, background jobs, error display."""
