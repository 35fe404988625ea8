"""Cell text to stored values, as offices write them: 12号楼 → 12, 301室 → 301 (floor 3),
'1.3812345678E+10' → 13812345678, 85.5㎡ → 85.5. Pure functions; a value that cannot be
read raises `ValueProblem` (never a guess: a phone Excel cut to 1.38E+10 is reported)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any


class ValueProblem(Exception):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = re.compile(r"^[零〇一二两三四五六七八九十]+")
_WHOLE_FLOAT = re.compile(r"^(\d+)\.0+$")
_BUILDING = re.compile(r"^第?([0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:号楼|号|幢|栋|楼|座|#楼|#)?$")
_UNIT = re.compile(r"^第?([0-9A-Za-z]+)(?:单元|号|门)?$")
_ROOM = re.compile(r"^([0-9A-Za-z]+(?:-[0-9A-Za-z]+)*)(?:室|号|房)?$")
_FLOOR = re.compile(r"^(-?\d+)(?:层|楼|F|f)?$")
_TRAILING_DIGITS = re.compile(r"(\d+)\D*$")
_SCIENTIFIC = re.compile(r"^(\d+)(?:\.(\d+))?[eE]\+?(\d+)$")
_PHONE_SEPARATORS = re.compile(r"[/、,;|]")
_PHONE_NOISE = re.compile(r"[\s\-()\[\]]")
_AREA_UNITS = re.compile(r"(?:平方米|平方|平米|m²|m2|㎡|sqm)$", re.IGNORECASE)
_COUNT_UNITS = re.compile(r"(?:人|口)$")

MIN_PHONE_DIGITS = 7
MAX_PHONE_DIGITS = 15
MAX_AREA = 10_000.0
MAX_POPULATION = 99
MAX_NAME = 40


def compact(text: str) -> str:
    """NFKC (full-width digits and letters to half-width, ㎡ stays) without spaces."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _cn_number(text: str) -> str:
    """A leading Chinese numeral below 100 as digits: 十二号楼 → 12号楼, 二单元 → 2单元."""
    found = _CN_NUMBER.match(text)
    if not found:
        return text
    word = found.group()
    if "十" in word:
        tens, _, ones = word.partition("十")
        if len(tens) > 1 or len(ones) > 1 or "十" in ones:
            return text
        value = (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    else:
        value = int("".join(str(_CN_DIGITS[ch]) for ch in word))
    return str(value) + text[len(word) :]


def _whole(text: str) -> str:
    """Excel's 12.0 for 12 (a number cell saved as text)."""
    found = _WHOLE_FLOAT.match(text)
    return found.group(1) if found else text


def compound_name(text: str) -> str:
    name = compact(text)
    if not name:
        raise ValueProblem("error.roster.missing_value")
    return name


def building(text: str) -> str:
    """12号楼 / 12幢 / 12栋 / 12号 / 12# / 第12幢 / 十二号楼 / 12 → 12; a named building
    (综合楼) stays as written."""
    value = _whole(_cn_number(compact(text)))
    if not value:
        raise ValueProblem("error.roster.missing_value")
    found = _BUILDING.match(value)
    return found.group(1).upper() if found else value


def unit(text: str) -> str:
    """2单元 / 二单元 / 2 → 2; empty is no unit."""
    value = _whole(_cn_number(compact(text)))
    if not value:
        return ""
    found = _UNIT.match(value)
    if not found:
        raise ValueProblem("error.roster.bad_unit", value=text.strip())
    return found.group(1).upper()


def room(text: str) -> str:
    """301室 / 301号 / 301 → 301."""
    value = _whole(compact(text))
    if not value:
        raise ValueProblem("error.roster.missing_value")
    found = _ROOM.match(value)
    if not found:
        raise ValueProblem("error.roster.bad_room", value=text.strip())
    return found.group(1).upper()


def floor_of_room(room_number: str) -> int | None:
    """The floor a room number says: 301 → 3, 1201 → 12, 2-301 → 3; None for a room of
    one or two digits (a lane house's 5号), which says no floor."""
    found = _TRAILING_DIGITS.search(room_number)
    if not found or len(found.group(1)) < 3:
        return None
    return int(found.group(1)[:-2])


def floor(text: str) -> int | None:
    value = _whole(_cn_number(compact(text)))
    if not value:
        return None
    found = _FLOOR.match(value)
    if not found or not -5 <= int(found.group(1)) <= 200:
        raise ValueProblem("error.roster.bad_floor", value=text.strip())
    return int(found.group(1))


def _one_phone(text: str) -> str:
    value = _PHONE_NOISE.sub("", text)
    if value.startswith("+86"):
        value = value[3:]
    sci = _SCIENTIFIC.match(value)
    if sci:
        whole, fraction, exponent = sci.group(1), sci.group(2) or "", int(sci.group(3))
        # 1.38E+10 keeps 3 of 11 digits: Excel showed it rounded and the file saved
        # what it showed. Only a mantissa holding every digit is a number we can trust.
        if len(fraction) > exponent:
            raise ValueProblem("error.roster.bad_phone", value=text.strip())
        if len(fraction) < exponent:
            raise ValueProblem("error.roster.phone_lost_digits", value=text.strip())
        value = whole + fraction
    value = _whole(value)
    if not value.isdigit() or not MIN_PHONE_DIGITS <= len(value) <= MAX_PHONE_DIGITS:
        raise ValueProblem("error.roster.bad_phone", value=text.strip())
    return value


def phones(text: str) -> tuple[str, ...]:
    """One or more numbers (13812345678/021-58881234); spaces and dashes dropped."""
    value = unicodedata.normalize("NFKC", text).strip()
    if not value:
        return ()
    parts = [p for p in _PHONE_SEPARATORS.split(value) if p.strip()]
    return tuple(dict.fromkeys(_one_phone(p) for p in parts))


def _decimal(text: str, key: str) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueProblem(key, value=text) from None
    if not number.is_finite():
        raise ValueProblem(key, value=text)
    return number


def area(text: str) -> float | None:
    """85.5 / 85.5㎡ / 85.5平方米 / 85.5 m2 → 85.5."""
    value = compact(text)
    if not value:
        return None
    number = _decimal(_AREA_UNITS.sub("", value), "error.roster.bad_area")
    if not 0 < number <= Decimal(MAX_AREA):
        raise ValueProblem("error.roster.bad_area", value=text.strip())
    return float(number)


def population(text: str) -> int | None:
    value = _cn_number(compact(text))
    if not value:
        return None
    number = _decimal(_COUNT_UNITS.sub("", value), "error.roster.bad_population")
    if number != number.to_integral_value() or not 0 <= number <= MAX_POPULATION:
        raise ValueProblem("error.roster.bad_population", value=text.strip())
    return int(number)


def person_name(text: str) -> str:
    """Spaces that aligned a Chinese name in its cell go (王  芳 → 王芳); a Latin
    name keeps single spaces."""
    value = unicodedata.normalize("NFKC", text).strip()
    if any(ord(ch) > 0x2E7F for ch in value):
        value = "".join(value.split())
    else:
        value = " ".join(value.split())
    if len(value) > MAX_NAME:
        raise ValueProblem("error.roster.bad_name", value=value[:MAX_NAME] + "…")
    return value


def note(text: str) -> str:
    return text.strip()
