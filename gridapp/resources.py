"""Where shipped files live (fonts, catalogs, content)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def resources_dir() -> Path:
    override = os.environ.get("GRIDAPP_RESOURCES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "resources"


def load_json(*parts: str) -> Any:
    return json.loads(resources_dir().joinpath(*parts).read_text(encoding="utf-8"))


def font_path() -> Path:
    return resources_dir() / "fonts" / "wqy-microhei.ttc"
