"""XLSForm question types (with pyxform's aliases) → our item types, or a refusal that
names the feature and why: it needs a server or external files, reads the device (SIM,
phone number, microphone), takes a photo/recording/location as the answer, or is a
legacy feature pyxform itself no longer accepts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from gridapp.forms.xlsform_columns import snake

_TYPES = {
    "text": ("text", "string", "q string", "add text prompt"),
    "integer": ("integer", "int", "q int", "add integer prompt"),
    "decimal": ("decimal", "q decimal", "add decimal prompt"),
    "date": ("date", "q date", "add date prompt"),
    "time": ("time",),
    "datetime": (
        "datetime",
        "date time",
        "q datetime",
        "q date time",
        "add datetime prompt",
        "add date time prompt",
    ),
    "note": ("note", "q note", "add note prompt"),
    "calculate": ("calculate", "q calculate", "add calculate prompt"),
    "acknowledge": ("acknowledge", "q acknowledge", "add acknowledge prompt", "trigger"),
    "yes_no": ("yes_no",),
}
SIMPLE = {alias: kind for kind, aliases in _TYPES.items() for alias in aliases}
META = {
    "start": "start",
    "start time": "start",
    "get start time": "start",
    "end": "end",
    "end time": "end",
    "get end time": "end",
    "today": "today",
    "get today": "today",
    "deviceid": "deviceid",
    "imei": "deviceid",
    "device id": "deviceid",
    "get device id": "deviceid",
    "uri:deviceid": "deviceid",
    "username": "username",
    "uri:username": "username",
    "audit": "audit",
}
NEEDS_DEVICE = frozenset(
    {
        "simserial",
        "sim id",
        "get sim id",
        "uri:simserial",
        "subscriberid",
        "subscriber id",
        "get subscriber id",
        "uri:subscriberid",
        "phonenumber",
        "get phone number",
        "uri:phonenumber",
        "email",
        "uri:email",
        "background-audio",
        "background-geopoint",
        "start-geopoint",
    }
)
MEDIA_ANSWER = frozenset(
    {
        "geopoint",
        "geotrace",
        "geoshape",
        "location",
        "gps",
        "q location",
        "q geopoint",
        "q geoshape",
        "q geotrace",
        "add location prompt",
        "image",
        "photo",
        "q image",
        "q picture",
        "add image prompt",
        "add photo prompt",
        "audio",
        "q audio",
        "add audio prompt",
        "video",
        "q video",
        "add video prompt",
        "file",
        "add file prompt",
        "barcode",
        "q barcode",
        "add barcode prompt",
    }
)
NEEDS_SERVER = frozenset({"xml-external", "csv-external", "select_one_external", "osm"})
UNSUPPORTED = frozenset({"rank"})

_SELECT = re.compile(
    r"^(?P<kind>select_one|select one|select1|select one from|select one using|q select1"
    r"|add select one prompt using|select_multiple|select all that apply"
    r"|select all that apply from|select multiple from|select multiple using|q select"
    r"|add select multiple prompt using) (?P<list>\S+)"
    r"(?: (?P<other>or specify other|or_other|or other))?$",
    re.IGNORECASE,
)
_FROM_FILE = re.compile(
    r"^(select_one_from_file|select_multiple_from_file|select one from file"
    r"|select multiple from file|select_one_external|select one external)\b"
)
_CONTROL = re.compile(
    r"^(?P<edge>begin|end)[ _](?P<kind>group|repeat|lgroup|looped group|loop)"
    r"(?: (?:over )?(?P<list>\S+))?$"
)
_CONTROLS = {"group": "group", "repeat": "repeat", "lgroup": "repeat", "looped group": "repeat"}
PHONE_CONSTRAINT = "regex(., '^[0-9+ -]*$')"


@dataclass
class Kind:
    """What a type cell means: item fields, a begin/end of a group or repeat, or a
    refusal (`refusal` is the catalog key, `params` its parameters)."""

    fields: dict[str, Any] = field(default_factory=dict)
    begin: str = ""
    end: str = ""
    refusal: str = ""
    params: dict[str, Any] = field(default_factory=dict)


def _refused(key: str, written: str) -> Kind:
    return Kind(refusal=key, params={"feature": written, "type": written})


def parse_type(written: str, parameters: str = "") -> Kind:
    """The meaning of a `type` cell (`parameters` for `range`)."""
    text = snake(written)
    control = _CONTROL.match(text)
    if control:
        kind = control.group("kind")
        if kind == "loop" or control.group("list"):
            return _refused("error.xlsform.legacy", written)
        edge = control.group("edge")
        return Kind(begin=_CONTROLS[kind]) if edge == "begin" else Kind(end=_CONTROLS[kind])
    if text in SIMPLE:
        return Kind({"type": SIMPLE[text]})
    if text == "hidden":
        return Kind({"type": "calculate"})
    if text in META:
        return Kind({"type": "meta", "meta": META[text]})
    if text == "phone number":
        return Kind({"type": "text", "appearance": "numbers", "constraint": PHONE_CONSTRAINT})
    if text == "percentage":
        return Kind({"type": "integer", "min": 0, "max": 100})
    if text == "range":
        return _range(written, parameters)
    if _FROM_FILE.match(text) or text in NEEDS_SERVER:
        return _refused("error.xlsform.needs_server", written)
    select = _SELECT.match(" ".join(written.split()))  # the list's name keeps its case
    if select:
        list_name = select.group("list")
        if "." in list_name:  # a .csv/.xml/.geojson file of choices: served with the form
            return _refused("error.xlsform.needs_server", written)
        kind = select.group("kind").lower()
        multiple = "one" not in kind and kind not in ("select1", "q select1")
        fields: dict[str, Any] = {
            "type": "select_multiple" if multiple else "select_one",
            "choices": list_name,
        }
        if select.group("other"):
            fields["other"] = True
        return Kind(fields)
    if text in NEEDS_DEVICE:
        return _refused("error.xlsform.needs_device", written)
    if text in MEDIA_ANSWER:
        return _refused("error.xlsform.media_answer", written)
    if text in ("include", "loop") or text.startswith("include "):
        return _refused("error.xlsform.legacy", written)
    if text in UNSUPPORTED or text.split()[0] in ("rank", "osm"):
        return _refused("error.xlsform.unsupported_type", written)
    return Kind(refusal="error.form.unknown_type", params={"type": written})


def _range(written: str, parameters: str) -> Kind:
    """A slider: 1–5 by 1 is our rating; any other range a number between its ends
    (pyxform's defaults: start=1 end=10 step=1), a whole one on its steps."""
    pairs = (p.split("=", 1) for p in parameters.replace(";", " ").split() if "=" in p)
    params = {k.strip().lower(): v.strip() for k, v in pairs}
    try:
        start, end, step = (
            Decimal(params.get(key, default))
            for key, default in (("start", "1"), ("end", "10"), ("step", "1"))
        )
    except InvalidOperation:
        start, end, step = Decimal(0), Decimal(-1), Decimal(0)
    if not start.is_finite() or not end.is_finite() or step <= 0 or start > end:
        return Kind(
            refusal="error.xlsform.unsupported_type", params={"type": f"{written} {parameters}"}
        )
    if start == 1 and end == 5 and step == 1:
        return Kind({"type": "rating"})
    whole = all(v == v.to_integral_value() for v in (start, end, step))
    fields: dict[str, Any] = {
        "type": "integer" if whole else "decimal",
        "min": int(start) if whole else float(start),
        "max": int(end) if whole else float(end),
    }
    if whole and step != 1:
        fields["constraint"] = f"(. - {int(start)}) mod {int(step)} = 0"
    return Kind(fields)
