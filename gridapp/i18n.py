"""The translation catalog: message keys to words, per language (zh_CN by default).

The core speaks in keys and codes; the UI, the CLI and printing turn them into words
here, so one catalog serves every surface and a test can check that both languages
know every key.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from gridapp.errors import GridappError
from gridapp.resources import load_json, resources_dir

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
#: A language's own singular: "ui.timeline.explained#one" is used when count == 1
#: (English "1 policy item explained"); Chinese needs none.
SINGULAR = "#one"


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@lru_cache(maxsize=4)
def _messages(lang: str) -> dict[str, str]:
    """`{lang}.json` plus every fragment in `{lang}/` (one per area of the app, so that
    work on different screens never edits the same file); a key defined twice is a bug."""
    messages: dict[str, str] = dict(load_json("i18n", f"{lang}.json"))
    folder = resources_dir() / "i18n" / lang
    for fragment in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        extra = load_json("i18n", lang, fragment.name)
        clash = set(extra) & set(messages)
        if clash:
            raise RuntimeError(f"catalog keys defined twice ({fragment.name}): {sorted(clash)}")
        messages.update(extra)
    return messages


class Catalog:
    def __init__(self, lang: str = DEFAULT_LANGUAGE) -> None:
        if lang not in LANGUAGES:
            lang = DEFAULT_LANGUAGE
        self.lang = lang
        self._messages = _messages(lang)

    def tr(self, key: str, /, **params: Any) -> str:
        template = self._messages.get(key)
        if params.get("count") == 1:
            template = self._messages.get(key + SINGULAR, template)
        if template is None:
            template = _messages(DEFAULT_LANGUAGE).get(key, key)
        if not params:
            return template
        # format_map (C) rather than string.Formatter (pure Python, ~20× slower): a tree
        # of 2,500 buildings is labelled in milliseconds.
        return template.format_map(_Lenient(params))

    def code(self, kind: str, value: str | None) -> str:
        if value is None:
            return ""
        key = f"code.{kind}.{value}"
        text = self.tr(key)
        return value if text == key else text

    def error(self, exc: GridappError) -> str:
        return self.tr(exc.key, **exc.params)

    def known_keys(self) -> set[str]:
        """Every message key (a language's singular forms are variants, not keys)."""
        return {k for k in self._messages if not k.endswith(SINGULAR)}

    def singular_keys(self) -> set[str]:
        return {k for k in self._messages if k.endswith(SINGULAR)}


def household_event_words(catalog: Catalog, summary: dict[str, Any]) -> str:
    """A household lifecycle step in words (已迁出 3 人, 与 302 室合并): the timeline's
    line for the desktop and the command line alike."""
    return catalog.tr(
        f"timeline.household_event.{summary.get('event')}",
        count=summary.get("residents") or 0,
        room=summary.get("room") or "",
    )
