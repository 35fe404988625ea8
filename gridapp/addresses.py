"""Household codes: the short address a grid worker reads, types and scans.

`JYXC-12-2-301` is compound 建业新村 (pinyin initials), building 12, unit 2, room 301;
without a unit, `JYXC-12-301`. The demo and the roster import make codes here, so a
household imported from a spreadsheet looks like one the demo built.
"""

from __future__ import annotations

import re
import unicodedata

from gridapp.search import read_pinyin

#: Characters kept from a compound's name: 东方城市花园二期 → DFCS.
ABBR_LENGTH = 4
_HAN_RUN = re.compile(r"([\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+)")


def compound_abbr(name: str) -> str:
    """Upper-case pinyin initials of a compound's name, Latin letters and digits kept
    as they are: 建业新村 → JYXC, 光鸿苑 → GHY, 7号小区 → 7HXQ."""
    letters: list[str] = []
    for i, part in enumerate(_HAN_RUN.split(unicodedata.normalize("NFKC", name))):
        if i % 2:  # a run of Chinese characters, read as words (phrases keep context)
            letters.extend(syllable[:1] for syllable in read_pinyin(part))
        else:
            letters.extend(ch for ch in part if ch.isascii() and ch.isalnum())
    return "".join(letters).upper()[:ABBR_LENGTH] or "HH"


def household_code(abbr: str, building: str, unit: str, room: str) -> str:
    """The code of the household at building/unit/room in the compound `abbr`."""
    return f"{abbr}-{building}-{unit + '-' if unit else ''}{room}"
