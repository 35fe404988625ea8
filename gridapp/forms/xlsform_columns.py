"""XLSForm headers and cells as the world writes them (pyxform's aliases, our own code).

A header is `base`, `base::Language`, `base::Language (code)` or, the older way,
`base:Language`; names are compared without case and with spaces as `_` (`List Name` is
`list_name`). A language becomes the key of a label dict: the code in parentheses, else
a known language name's code (English → en, 中文 → zh_CN), else the name as written.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

#: Columns whose text is a label dict, one column per language.
TRANSLATED = ("label", "hint", "constraint_message", "required_message")
#: Media columns pyxform treats as optional beside a text label (we show text only).
MEDIA = frozenset({"image", "big-image", "big_image", "audio", "video"})

SURVEY_ALIASES = {
    "caption": "label",
    "relevance": "relevant",
    "constraining_message": "constraint_message",
    "jr:constraintmsg": "constraint_message",
    "calculate": "calculation",
    "requiredmsg": "required_message",
    "jr:requiredmsg": "required_message",
    "count": "repeat_count",
    "jr:count": "repeat_count",
    "read_only": "readonly",
    "command": "type",
    "tag": "name",
    "value": "name",
}
CHOICE_ALIASES = {"caption": "label", "list_name": "list_name", "value": "name"}
SETTINGS_ALIASES = {"set_form_title": "form_title", "set_form_id": "form_id"}

#: Language names as forms write them → the code used as the label dict's key.
_NAMES = {
    "english": "en",
    "chinese": "zh_CN",
    "中文": "zh_CN",
    "简体中文": "zh_CN",
    "汉语": "zh_CN",
    "chinese (simplified)": "zh_CN",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "portuguese": "pt",
    "português": "pt",
    "arabic": "ar",
    "العربية": "ar",
    "swahili": "sw",
    "kiswahili": "sw",
    "hindi": "hi",
    "russian": "ru",
    "русский": "ru",
    "german": "de",
    "deutsch": "de",
    "italian": "it",
    "italiano": "it",
    "japanese": "ja",
    "日本語": "ja",
    "korean": "ko",
    "한국어": "ko",
    "vietnamese": "vi",
    "tiếng việt": "vi",
    "thai": "th",
    "indonesian": "id",
    "bahasa indonesia": "id",
    "bengali": "bn",
    "bangla": "bn",
    "urdu": "ur",
    "nepali": "ne",
    "burmese": "my",
    "khmer": "km",
    "lao": "lo",
    "turkish": "tr",
    "persian": "fa",
    "farsi": "fa",
    "pashto": "ps",
    "amharic": "am",
    "hausa": "ha",
    "somali": "so",
    "yoruba": "yo",
    "igbo": "ig",
    "zulu": "zu",
    "tigrinya": "ti",
    "oromo": "om",
    "ukrainian": "uk",
    "dutch": "nl",
}
_CODES = {"zh": "zh_CN", "zh_cn": "zh_CN", "zh-cn": "zh_CN", "zh-hans": "zh_CN"}
#: A code's name for the columns an export writes, and the code written there.
_EXPORT = {"zh_CN": ("Chinese", "zh"), "en": ("English", "en"), "fr": ("French", "fr")}
_EXPORT_NAMES = {code: name.title() for name, code in _NAMES.items() if name.isascii()}

_SPACES = re.compile(r"\s+")
_CODE = re.compile(r"\(([^()]+)\)\s*$")
_SMART = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def language_key(written: str) -> str:
    """`English (en)` → en, `Chinese (zh)` → zh_CN, `Français` → fr, `Kirundi` → Kirundi."""
    text = _SPACES.sub(" ", written).strip()
    match = _CODE.search(text)
    if match:
        code = match.group(1).strip()
        return _CODES.get(code.lower(), code)
    lowered = text.lower()
    return _CODES.get(lowered) or _NAMES.get(lowered) or text


def language_column(base: str, key: str) -> str:
    """The header an export writes for `key`: `label::English (en)`; plain `label` for
    the `default` key; a language name kept as written when it had no code."""
    if key == "default":
        return base
    if key in _EXPORT:
        name, code = _EXPORT[key]
        return f"{base}::{name} ({code})"
    if key in _EXPORT_NAMES:
        return f"{base}::{_EXPORT_NAMES[key]} ({key})"
    return f"{base}::{key}"


@dataclass(frozen=True)
class Column:
    """A header as written, the column it means, and its language (translated columns)."""

    header: str
    base: str
    language: str | None = None


#: What pyxform's `bind::…` and `control::…` columns mean when they name a column we have.
_NESTED = {
    "bind": {
        "relevant": "relevant",
        "required": "required",
        "constraint": "constraint",
        "calculate": "calculation",
        "readonly": "readonly",
        "jr:constraintmsg": "constraint_message",
        "jr:requiredmsg": "required_message",
    },
    "control": {"appearance": "appearance", "jr:count": "repeat_count"},
}


def _split(text: str) -> tuple[str, str]:
    """(first part, the rest) of a header: split on `::`, else on `:` keeping `jr:x`."""
    if "::" in text:
        head, _, rest = text.partition("::")
        return head, rest
    head, _, rest = text.partition(":")
    if head.strip().lower() == "jr" and rest:  # jr:count, jr:constraintMsg
        name, _, rest = rest.partition(":")
        head = f"jr:{name}"
    return head, rest


def parse_header(header: str, aliases: dict[str, str]) -> Column:
    text = _SPACES.sub(" ", header).strip()
    head, rest = _split(text)
    base = "_".join(head.split()).lower()
    base = aliases.get(base, base)
    if base in _NESTED and rest.strip():  # bind:relevant is relevant, as pyxform reads it
        inner, after = _split(rest)
        known = _NESTED[base].get("_".join(inner.split()).lower())
        if known is None:
            return Column(header, f"{base}::{rest.strip()}")
        base, rest = known, after
    if not rest.strip():
        plain = base in TRANSLATED or base in MEDIA or base == "form_title"
        return Column(header, base, "default" if plain else None)
    if base in TRANSLATED or base in MEDIA or base == "form_title":
        return Column(header, base, language_key(rest))
    return Column(header, f"{base}::{rest.strip()}")


#: Columns holding names, codes and expressions: full-width forms a Chinese input method
#: types (（）＝１２) and "smart" quotes become plain; labels keep their punctuation.
CODE_COLUMNS = frozenset(
    {
        "type",
        "name",
        "list_name",
        "required",
        "relevant",
        "constraint",
        "calculation",
        "parameters",
        "form_id",
        "version",
        "min",
        "max",
        "default",
        "choice_filter",
        "repeat_count",
        "appearance",
        "default_language",
    }
)


def cell_text(value: Any, base: str = "") -> str:
    """A cell as text: numbers without a spurious `.0`, dates as ISO text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    elif isinstance(value, dt.datetime):
        midnight = value.time() == dt.time(0)
        text = value.date().isoformat() if midnight else value.strftime("%Y-%m-%dT%H:%M")
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat() if isinstance(value, dt.date) else value.strftime("%H:%M")
    else:
        text = str(value).strip()
    if base in CODE_COLUMNS:
        text = unicodedata.normalize("NFKC", text).translate(_SMART).strip()
    return text


def snake(text: str) -> str:
    """A type or keyword as pyxform compares it: spaces collapsed, lower case."""
    return _SPACES.sub(" ", text).strip().lower()
