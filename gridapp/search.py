"""The household finder's text: what a grid worker may type, worked out once per write.

Pure functions (no SQL, no Qt). `household_search_text` turns one household into a line
of space-separated tokens; `normalise_query` turns what was typed into the same form.
A query matches a household when each of its terms (`query_terms`) is a substring of
the line. Because the query never contains a space, a match never spans two tokens, so
the text and the query only have to agree token by token.

pypinyin is slow (~30 µs a name), so pinyin is computed here, when households are
written, and never per keystroke; a name cache makes the 100,000-household demo, whose
names repeat, pay for each distinct name once. It is also heavy to import (~180 ms,
~56 MB for its phrase dictionary), so it is imported on the first name, never by a
process that only searches.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

#: Surnames whose reading differs from pypinyin's everyday one (曾 is "ceng" in 曾经 but
#: "zeng" as a surname). Both readings are indexed, so either spelling finds the person.
#: Two-character keys (compound surnames) are tried before one-character ones.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "万俟": ("mo", "qi"),
    "曾": ("zeng",),
    "单": ("shan",),
    "仇": ("qiu",),
    "解": ("xie",),
    "查": ("zha",),
    "区": ("ou",),
    "乐": ("yue",),
    "盖": ("ge",),
    "朴": ("piao",),
    "缪": ("miao",),
    "翟": ("zhai",),
    "尉": ("yu",),
    "覃": ("qin",),
    "召": ("shao",),
    "种": ("chong",),
    "秘": ("bi",),
}

# Dashes NFKC leaves alone (full-width "－" and "﹣" already become "-").
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-"))
# Address words only count after a digit: 王国栋 and 楼 in a name must stay as typed.
_ADDRESS_WORD = re.compile(r"(?<=\d)(?:号楼|号|幢|栋|楼|单元|#|室)")
_REPEATED_DASH = re.compile(r"-{2,}")
_NON_DIGIT = re.compile(r"\D")
_LEADING_INT = re.compile(r"\s*([+-]?\d+)")
_FIELD = "\x01"  # sorts below any character a field may hold (see walk_key)


def _address_word(found: re.Match[str]) -> str:
    return "" if found.group() == "室" else "-"


def normalise_query(text: str) -> str:
    """NFKC, lower case, no spaces, and addresses in one form: 12号1单元301室 → 12-1-301.

    Applied to every token of the search text too, so both sides always agree. Steps a
    text cannot need are skipped: the 100,000-household demo normalises ~1.2M tokens.
    """
    plain = text.isascii()
    if not plain:
        text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    text = "".join(text.lower().split())
    if not plain or "#" in text:
        # Again until stable: dropping 室 in 1室号 brings 号 next to a digit.
        while (changed := _ADDRESS_WORD.sub(_address_word, text)) != text:
            text = changed
    if "--" in text:
        text = _REPEATED_DASH.sub("-", text)
    return text.lstrip("-")


#: Names, compounds, buildings and rooms repeat across households; codes do not.
_normal_token = lru_cache(maxsize=1 << 16)(normalise_query)


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


def query_terms(normalised: str) -> list[str]:
    """Split a normalised query where Chinese meets anything else: 建业12-301 is the
    compound 建业… and the address 12-301, which sit in different tokens of the text."""
    terms: list[str] = []
    start = 0
    for i in range(1, len(normalised)):
        if _is_han(normalised[i]) != _is_han(normalised[i - 1]):
            terms.append(normalised[start:i])
            start = i
    if normalised:
        terms.append(normalised[start:])
    return [t for t in terms if t.strip("-")]


@cache
def _char_reading(ch: str) -> str:
    from pypinyin import lazy_pinyin

    return str(lazy_pinyin(ch)[0])


def read_pinyin(text: str) -> list[str]:
    """pypinyin's everyday reading (`lazy_pinyin`), one item per Chinese character: the
    one door to pypinyin, imported here on first use.

    lazy_pinyin reads a text word by word, and a text holding no word of its phrase
    dictionary character by character; most names hold none, so those are read from a
    per-character cache (~25× faster, same result: tests/unit/test_search.py checks).
    """
    from pypinyin import lazy_pinyin
    from pypinyin.constants import PHRASES_DICT

    n = len(text)
    if not all(_is_han(ch) for ch in text) or any(
        text[i:j] in PHRASES_DICT for i in range(n - 1) for j in range(i + 2, n + 1)
    ):
        return list(lazy_pinyin(text))
    return [_char_reading(ch) for ch in text]


@lru_cache(maxsize=1 << 16)
def _syllables(text: str) -> tuple[str, ...]:
    # pypinyin passes non-Chinese runs through as one item; keep letters and digits only.
    result = []
    for item in read_pinyin(text):
        kept = "".join(ch for ch in item.lower() if ch.isascii() and ch.isalnum())
        if kept:
            result.append(kept)
    return tuple(result)


@lru_cache(maxsize=1 << 16)
def name_pinyin(name: str) -> tuple[str, ...]:
    """Full pinyin and initials of a name, plus both again with the surname reading
    when the name starts with a polyphonic surname: 曾小芳 → cengxiaofang, cxf,
    zengxiaofang, zxf."""
    name = _normal_token(name)
    readings = [_syllables(name)]
    for length in (2, 1):
        surname = name[:length]
        if len(surname) == length and surname in SURNAME_READINGS:
            readings.append(SURNAME_READINGS[surname] + _syllables(name[length:]))
            break
    tokens: list[str] = []
    for syllables in readings:
        if syllables:
            tokens.append("".join(syllables))
            tokens.append("".join(s[0] for s in syllables))
    return tuple(dict.fromkeys(tokens))


def _without_redundant(tokens: Iterable[str]) -> list[str]:
    """Drop empty and duplicate tokens and any token inside another one: a query can
    only match within a token, so they add nothing but length (and the short-query
    scan reads every byte)."""
    order = list(dict.fromkeys(t for t in tokens if t))
    # Longest first; tokens hold no space, so "inside a kept token" is one C-level
    # search of the kept tokens joined by spaces (this runs 100,000 times in the demo).
    line = ""
    kept: set[str] = set()
    for token in sorted(order, key=len, reverse=True):
        if token not in line:
            line += " " + token
            kept.add(token)
    return [t for t in order if t in kept]


def address_keys(building: str, unit: str, room: str) -> list[str]:
    """The canonical address forms: 12-301 always, and 12-1-301 when there is a unit."""
    b, u, r = (_normal_token(part) for part in (building, unit, room))
    keys = [f"{b}-{r}"]
    if u:
        keys.append(f"{b}-{u}-{r}")
    return keys


def household_search_text(
    compound: str,
    building: str,
    unit: str,
    room: str,
    code: str,
    names: Iterable[str],
    phones: Iterable[str],
) -> str:
    """One household's search line: compound, building, unit, room, address keys,
    code, names with their pinyin, and phone digits (space-separated tokens)."""
    tokens = [_normal_token(part) for part in (compound, building, unit, room)]
    tokens.extend(address_keys(building, unit, room))
    tokens.append(normalise_query(code))
    for name in names:
        tokens.append(_normal_token(name))
        tokens.extend(name_pinyin(name))
    for number in phones:
        tokens.append(_NON_DIGIT.sub("", unicodedata.normalize("NFKC", number)))
    return " ".join(_without_redundant(tokens))


def matching_person(query: str, people: Iterable[tuple[str, Iterable[str]]]) -> str | None:
    """Whose name or phone the query found among a household's residents (name,
    phones), in their order; None when it found the address or code instead. `wjl`
    finds 吴静琳 (her initials), `8231` the resident whose phone ends so."""
    terms = query_terms(normalise_query(query))
    for name, phones in people:
        tokens = [_normal_token(name), *name_pinyin(name)]
        digits = [_NON_DIGIT.sub("", unicodedata.normalize("NFKC", n)) for n in phones]
        for term in terms:
            if any(term in token or (len(token) > 1 and token in term) for token in tokens):
                return name
            if _is_han(term[-1]) and any(term.endswith(tokens[0][:k]) for k in (1, 2)):
                return name  # 建业吴: a place, then the start of a name
            if term.isdigit() and len(term) >= 4 and any(term in d for d in digits):
                return name
    return None


def _sqlite_int(text: str) -> int:
    """CAST(text AS INTEGER) as SQLite does it: the leading integer, else 0."""
    found = _LEADING_INT.match(text)
    return int(found.group(1)) if found else 0


def _fixed(number: int) -> str:
    # Offset and pad so that text order is number order, negatives included.
    bound = 10**17
    return f"{max(-bound, min(bound, number)) + bound:018d}"


def walk_key(
    compound_created_at: str,
    compound_name: str,
    building_sort_key: int,
    building_number: str,
    unit: str,
    floor: int,
    room: str,
    household_id: str,
) -> str:
    """A text whose order is the walking order of gridapp.storage.queries.WALK_ORDER
    (compound, building sort key and number, unit, floor, room as a number then as
    text), so search results sort by one column. The id last makes every key unique,
    even for two households entered with the same address."""
    return _FIELD.join(
        (
            compound_created_at,
            compound_name,
            _fixed(building_sort_key),
            building_number,
            unit,
            _fixed(floor),
            _fixed(_sqlite_int(room)),
            room,
            household_id,
        )
    )


def clear_caches() -> None:
    """Forget cached pinyin and tokens, so a benchmark or test pays the cold cost."""
    _char_reading.cache_clear()
    _syllables.cache_clear()
    name_pinyin.cache_clear()
    _normal_token.cache_clear()
