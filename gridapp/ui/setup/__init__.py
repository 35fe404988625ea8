"""Setting a campaign up: rosters, teams and buildings, policy items, questionnaires, closing."""
