"""Which column holds what: the header words 居委 and 物业 rosters use, and the user's
corrections to our guess."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from gridapp.errors import InvalidInput


class Field(StrEnum):
    COMPOUND = "compound"
    BUILDING = "building"
    UNIT = "unit"
    ROOM = "room"
    FLOOR = "floor"
    OWNER = "owner"
    PHONE = "phone"
    AREA = "area"
    POPULATION = "population"
    NOTE = "note"


#: Without these a row has no address.
REQUIRED = (Field.COMPOUND, Field.BUILDING, Field.ROOM)

#: Header words as offices write them, already in `header_key` form.
ALIASES: dict[Field, tuple[str, ...]] = {
    Field.COMPOUND: ("小区", "小区名称", "小区名", "所属小区", "居住小区", "住宅小区", "compound"),
    Field.BUILDING: (
        "楼号",
        "楼栋",
        "楼栋号",
        "楼幢",
        "楼幢号",
        "幢",
        "幢号",
        "栋",
        "栋号",
        "楼",
        "building",
    ),
    Field.UNIT: ("单元", "单元号", "unit"),
    Field.ROOM: ("室号", "室", "房号", "房间号", "房间", "门牌", "门牌号", "room"),
    Field.FLOOR: ("楼层", "层", "层数", "所在楼层", "floor"),
    Field.OWNER: (
        "户主",
        "户主姓名",
        "姓名",
        "业主",
        "业主姓名",
        "产权人",
        "owner",
        "name",
    ),
    Field.PHONE: (
        "电话",
        "联系电话",
        "手机",
        "手机号",
        "手机号码",
        "电话号码",
        "联系方式",
        "phone",
    ),
    Field.AREA: ("面积", "建筑面积", "房屋面积", "住房面积", "产证面积", "area"),
    Field.POPULATION: (
        "人口",
        "人数",
        "户籍人数",
        "户籍人口",
        "家庭人口",
        "常住人口",
        "居住人数",
        "population",
    ),
    Field.NOTE: ("备注", "说明", "note", "notes"),
}

_BY_ALIAS = {alias: f for f, aliases in ALIASES.items() for alias in aliases}
# A unit in brackets after the word: 面积(㎡), 人口（人）; a leading 序号-like mark.
_BRACKETED = re.compile(r"[(\[【].*?[)\]】]$")
_TRIM = ":*#"
#: Values that mean "do not import this column" in a user's mapping.
IGNORE = ("", "-", "ignore", "不导入")


def header_key(text: str) -> str:
    """A header cell in comparable form: NFKC (full-width to half), no spaces, no
    trailing colon or star, no bracketed unit, lower case: ' 联系电话： ' → 联系电话."""
    key = "".join(unicodedata.normalize("NFKC", text).split()).strip(_TRIM)
    while (shorter := _BRACKETED.sub("", key)) != key:
        key = shorter.strip(_TRIM)
    return key.lower()


def recognise(header: str) -> Field | None:
    return _BY_ALIAS.get(header_key(header))


def parse_field(text: str, labels: Mapping[Field, str] | None = None) -> Field | None:
    """A field named in a mapping: its code (building) or its label (楼号); None for
    "do not import"."""
    key = header_key(text)
    if key in IGNORE:
        return None
    for f in Field:
        if key == f.value or (labels is not None and key == header_key(labels[f])):
            return f
    found = _BY_ALIAS.get(key)
    if found is None:
        raise InvalidInput(
            "error.roster.unknown_field", field=text, fields=", ".join(f.value for f in Field)
        )
    return found


@dataclass(frozen=True)
class ColumnMap:
    """The file's header cells and, for each, the field it fills (None: not imported)."""

    headers: tuple[str, ...]
    fields: tuple[Field | None, ...]

    def index(self, f: Field) -> int | None:
        try:
            return self.fields.index(f)
        except ValueError:
            return None

    def header(self, f: Field) -> str:
        i = self.index(f)
        return self.headers[i] if i is not None else ""

    def as_dict(self) -> dict[str, str | None]:
        return {h: (f.value if f else None) for h, f in zip(self.headers, self.fields, strict=True)}


def resolve(
    headers: Sequence[str],
    overrides: Mapping[str, Field | None] | None = None,
    file: str = "",
    require: bool = True,
) -> ColumnMap:
    """Our guess for each header, corrected by `overrides` (header → field or None).

    A field guessed for two columns goes to the first; the user may move it. Missing
    required fields (unless `require` is off: a screen about to ask the user) and a
    field the user gave to two columns are errors naming them.
    """
    overrides = dict(overrides or {})
    keys = [header_key(h) for h in headers]
    by_key = {header_key(h): f for h, f in overrides.items()}
    for wanted in by_key:
        if wanted not in keys:
            raise InvalidInput(
                "error.roster.map_column",
                column=next(h for h in overrides if header_key(h) == wanted),
                file=file,
                columns="、".join(h for h in headers if h.strip()),
            )
    fields: list[Field | None] = []
    for key, header in zip(keys, headers, strict=True):
        fields.append(by_key[key] if key in by_key else recognise(header))
    chosen: dict[Field, int] = {}
    for i, f in enumerate(fields):
        if f is None:
            continue
        if f in chosen:
            if keys[i] in by_key and keys[chosen[f]] in by_key:
                raise InvalidInput(
                    "error.roster.map_twice",
                    field=f.value,
                    first=headers[chosen[f]],
                    second=headers[i],
                )
            if keys[i] in by_key:  # the user's choice wins over our guess
                fields[chosen[f]] = None
                chosen[f] = i
            else:
                fields[i] = None
            continue
        chosen[f] = i
    missing = [f for f in REQUIRED if f not in chosen]
    if missing and require:
        # One key per field, so the message names the column in the user's words.
        raise InvalidInput(
            f"error.roster.missing.{missing[0].value}",
            file=file,
            columns="、".join(h for h in headers if h.strip()),
        )
    return ColumnMap(tuple(headers), tuple(fields))


def parse_overrides(
    pairs: Sequence[str], labels: Mapping[Field, str] | None = None
) -> dict[str, Field | None]:
    """`列名=field` pairs as the CLI takes them (`--map 栋=building`, `--map 备用=`)."""
    result: dict[str, Field | None] = {}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        if not sep or not column.strip():
            raise InvalidInput("error.roster.bad_map", value=pair)
        result[column.strip()] = parse_field(target, labels)
    return result
