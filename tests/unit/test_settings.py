from __future__ import annotations

import json
from pathlib import Path

from gridapp.settings import (
    Settings,
    UiState,
    load_settings,
    load_ui_state,
    save_settings,
    save_ui_state,
)


def test_defaults_when_nothing_saved(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings()
    assert load_ui_state(tmp_path) == UiState()


def test_round_trip_and_separate_files(tmp_path: Path) -> None:
    save_settings(tmp_path, Settings(language="en", idle_lock_minutes=10))
    save_ui_state(tmp_path, UiState(splitter=[1, 2, 3]))
    assert load_settings(tmp_path).language == "en"
    assert load_settings(tmp_path).idle_lock_minutes == 10
    assert load_ui_state(tmp_path).splitter == [1, 2, 3]
    assert json.loads((tmp_path / "settings.json").read_text())["version"] == 2


def test_old_settings_are_upgraded_by_named_steps(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(json.dumps({"version": 1, "lang": "en"}))
    assert load_settings(tmp_path).language == "en"


def test_bad_values_fall_back_safely(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(
        json.dumps({"version": 2, "language": "fr", "idle_lock_minutes": 0, "unknown": 1})
    )
    settings = load_settings(tmp_path)
    assert settings.language == "zh_CN" and settings.idle_lock_minutes == 1
    (tmp_path / "settings.json").write_text("{not json")
    assert load_settings(tmp_path) == Settings()
