"""The households page both roles share: the place navigator, the household list, the
household's page and search."""
