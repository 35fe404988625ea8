"""Questionnaire templates shipped in resources/forms/templates/: a new campaign may
start from one (the 新建专项行动 wizard) instead of an empty workbook."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gridapp.resources import load_json, resources_dir


@dataclass(frozen=True)
class Template:
    key: str  # the file's name without .json
    document: dict[str, Any]

    def title(self, lang: str) -> str:
        from gridapp.forms.definition import text_of  # load when used

        return text_of(self.document.get("title", {}), lang) or self.key


def templates() -> list[Template]:
    """Every template, by file name."""
    folder = resources_dir() / "forms" / "templates"
    return [
        Template(path.stem, load_json("forms", "templates", path.name))
        for path in sorted(folder.glob("*.json"))
    ]


def as_next_version(document: dict[str, Any], latest: int | None) -> dict[str, Any]:
    """The template as a version after `latest` (the form's highest published version):
    a template used a second time publishes as a new version, never a clash."""
    if latest is None or int(document.get("version", 1)) > latest:
        return dict(document)
    return {**document, "version": latest + 1}
